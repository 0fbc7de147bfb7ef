import CLua
import FuzzSupport
import LeadJSON

@testable import Host

/// libFuzzer target: `json.decode` in a sandboxed VM, on arbitrary text.
///
/// Input: the text given to `json.decode` (any bytes).
///
/// - decoding never crashes; a refusal is a Lua error `json.decode: line L, column C: what`
///   (or the VM's memory limit, which is kept small here so that large documents reach it);
/// - a decoded value encodes, and `encode(decode(encode(decode(x))))` is the same text as
///   `encode(decode(x))`;
/// - the host's own parser (`JSONValue.parse`, used for fixtures, params and leads) accepts
///   exactly the texts the Lua decoder accepts, with the same value (compared as compact
///   JSON) or the same error, but for object keys that are one text in two Unicode forms,
///   which only Lua can keep apart;
/// - the VM's stack is left as it was, and its memory comes back after a collection.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    DecodeCheck.shared.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// The VM and the Lua function the inputs go through, made once.
final class DecodeCheck {
    nonisolated(unsafe) static let shared = DecodeCheck()

    /// Room the VM has above what it holds at rest: more than most inputs need, less than
    /// the seed `many-small-tables.json` (4.5 KB of `[{},{},...]`, about 240 KB in Lua).
    private static let headroom = 160 * 1024
    /// Bytes of garbage a run may leave after a full collection (none is expected; Lua's
    /// own caches, such as interned short strings, may grow a little).
    private static let settledSlack = 64 * 1024

    private let vm: LuaVM
    private let function: Int32
    private let restingMemory: Int
    private var runs = 0

    private init() {
        let vm: LuaVM
        do {
            var limits = LuaLimits()
            limits.memoryBytes = try LuaVM().memoryInUse + Self.headroom
            // Out of the way: a run takes microseconds, but a busy machine must not turn
            // it into a time limit.
            limits.cpuSeconds = 60
            vm = try LuaVM(limits: limits)
        } catch {
            fatalError("cannot create the VM: \(error)")
        }
        self.vm = vm
        let code = """
            local decode, encode, pcall = json.decode, json.encode, pcall
            return function(text)
              local ok, value = pcall(decode, text)
              if not ok then return false, value end
              local encoded, first = pcall(encode, value)
              if not encoded then return nil, first end
              return true, first, encode(decode(first)), value
            end
            """
        let status = code.withCString { clua_load_text(vm.L, $0, code.utf8.count, "=fuzz") }
        invariant(status == LUA_OK, "the check function does not compile")
        if let error = vm.protectedCall(arguments: 0, results: 1) { fatalError("the check function: \(error)") }
        function = vm.ref()
        vm.collectGarbage()
        restingMemory = vm.memoryInUse
    }

    func run(_ text: UnsafeRawBufferPointer) {
        let s = LuaState(vm.L)
        invariant(s.top == 0, "the stack holds \(s.top) values before the run")
        vm.push(ref: function)
        s.push(bytes: text)
        let lua = luaOutcome(vm.protectedCall(arguments: 1, results: 4), s)
        compare(lua, with: Result { () throws(JSONParseError) -> JSONValue in try JSONValue.parse(Array(text)) }, s)
        s.top = 0
        runs += 1
        if runs % 4096 == 0 { checkMemorySettles() }
    }

    private enum LuaOutcome {
        case decoded(String)
        case refused(String)
        case memoryLimit
    }

    private func luaOutcome(_ error: LuaScriptError?, _ s: LuaState) -> LuaOutcome {
        if let error {
            // Only a limit may end the call itself: decode and encode run under pcall.
            invariant(error.message.contains("memory limit"), "the call failed: \(error.message)")
            return .memoryLimit
        }
        let message = s.string(at: -3)
        switch lua_type(vm.L, -4) {
        case LUA_TBOOLEAN where s.bool(at: -4):
            guard let first = s.string(at: -3), let second = s.string(at: -2) else {
                violated("encode returned no text")
            }
            invariant(first == second, "encode(decode(x)) is \(first.debugDescription), after another round \(second.debugDescription)")
            return .decoded(first)
        case LUA_TBOOLEAN:
            guard let message else { violated("json.decode raised a \(s.typeName(at: -3))") }
            if message.contains("memory limit") { return .memoryLimit }
            return .refused(message)
        default:
            violated("a decoded value does not encode: \(message ?? "?")")
        }
    }

    /// `s` holds the decoded value on top when Lua decoded the text.
    private func compare(_ lua: LuaOutcome, with swift: Result<JSONValue, JSONParseError>, _ s: LuaState) {
        switch (lua, swift) {
        case (.memoryLimit, _):
            break
        case (.decoded(let text), .success(let value)):
            let hostText = value.encoded()
            invariant(text == hostText, "Lua decodes to \(text.debugDescription), JSONValue to \(hostText.debugDescription)")
        case (.refused(let message), .failure(let error)) where error.message.hasSuffix("are the same text in two Unicode forms"):
            // The keys come first; Lua finds its error at or after them.
            let (line, column) = Self.position(in: message)
            invariant((line, column) >= (error.line, error.column), "Lua: \(message.debugDescription), JSONValue: \(error)")
        case (.refused(let message), .failure(let error)):
            invariant(message == "json.decode: \(error)", "Lua: \(message.debugDescription), JSONValue: \(error)")
        case (.decoded, .failure(let error)) where error.message.hasSuffix("are the same text in two Unicode forms"):
            // The one known difference: object keys are Swift strings in a `JSONValue`, so
            // it refuses keys that are different bytes of one Unicode text (`"\u00e9"` and
            // `"e\u0301"`), which Lua keeps apart.
            invariant(s.hasUnicodeEquivalentKeys(at: -1), "JSONValue: \(error), but Lua's keys are all different texts")
        case (.decoded(let text), .failure(let error)):
            violated("Lua decodes to \(text.debugDescription), JSONValue refuses: \(error)")
        case (.refused(let message), .success(let value)):
            violated("Lua refuses (\(message)), JSONValue reads \(value.encoded().debugDescription)")
        }
    }

    /// Line and column of `json.decode: line L, column C: what`.
    private static func position(in message: String) -> (Int, Int) {
        let numbers =
            message.split(separator: ":").dropFirst().first?
            .split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) } ?? []
        guard numbers.count == 2 else { violated("json.decode error without a position: \(message.debugDescription)") }
        return (numbers[0], numbers[1])
    }

    /// What the runs allocated in the VM is garbage: a full collection gives it back.
    private func checkMemorySettles() {
        vm.collectGarbage()
        let settled = vm.memoryInUse
        invariant(
            settled <= restingMemory + Self.settledSlack,
            "the VM holds \(settled) bytes after \(runs) runs and a collection (\(restingMemory) at rest)")
    }
}
