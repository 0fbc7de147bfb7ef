import CLua

/// A script or library compiled once to Lua bytecode, so that many fresh VMs can load it
/// without parsing its source again (`leadrelay check` runs every case in a fresh VM).
///
/// Hostile by default: the only way to make one is `compile(_:)`, which parses *source text*
/// in this process and dumps what the parser produced. Bytecode never comes from a file or
/// from a caller, since Lua trusts bytecode blindly (a crafted dump can corrupt memory), and
/// `LuaState.load(_ source:)` keeps refusing binary chunks.
public final class LuaChunk: Sendable {
    /// The source it was compiled from: its name shows in errors and tracebacks, and a
    /// changed source needs a new chunk.
    public let source: LuaSource
    /// The dump, debug information kept (line numbers in errors stay what the source gives).
    let bytecode: [UInt8]

    private init(source: LuaSource, bytecode: [UInt8]) {
        self.source = source
        self.bytecode = bytecode
    }

    /// Compiles `source` in a scratch state. A syntax error is thrown as Lua words it
    /// (`clixnow.lua:12: 'end' expected near <eof>`), the same message loading the source
    /// into a VM gives.
    public static func compile(_ source: LuaSource) throws(LuaChunkError) -> LuaChunk {
        guard let L = luaL_newstate() else { throw LuaChunkError(message: "cannot create a Lua state to compile \(source.name)") }
        defer { lua_close(L) }
        let s = LuaState(L)
        guard s.load(source) else { throw LuaChunkError(message: s.string(at: -1) ?? "\(source.name): syntax error") }
        let sink = DumpSink()
        let status = withExtendedLifetime(sink) {
            lua_dump(
                L,
                { _, bytes, count, data in
                    guard let bytes, let data else { return 1 }
                    let sink = Unmanaged<DumpSink>.fromOpaque(data).takeUnretainedValue()
                    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
                    return 0
                }, Unmanaged.passUnretained(sink).toOpaque(), 0)
        }
        guard status == 0 else { throw LuaChunkError(message: "cannot dump the compiled \(source.name) (status \(status))") }
        return LuaChunk(source: source, bytecode: sink.bytes)
    }

    private final class DumpSink {
        var bytes: [UInt8] = []
    }
}

/// Why a source could not be compiled: Lua's own message, with file and line.
public struct LuaChunkError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

extension LuaState {
    /// Loads a chunk this process compiled (`LuaChunk.compile`), without parsing: pushes it as
    /// a function. Returns false with Lua's message on top if the VM refused it (out of memory).
    public func load(_ chunk: LuaChunk) -> Bool {
        chunk.bytecode.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                luaL_loadbufferx(L, $0, buffer.count, "=" + chunk.source.name, "b")
            }
        } == LUA_OK
    }
}
