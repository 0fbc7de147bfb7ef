import CLua
import CLuaHost
@_spi(LuaCodecs) import LeadJSON

/// Parses JSON text straight onto a Lua stack (see `LuaJSON.decode` for the rules).
///
/// A container's entries are pushed on the stack as they are read and stored into its
/// table in batches of `batch`, so a small object's table is created once with its final
/// size. Strings without escapes are pushed straight from the input bytes.
struct LuaJSONDecoder: ~Copyable {
    private static let batch: Int32 = 32

    private let L: OpaquePointer
    private var scanner: JSONScanner
    /// Stack slot of the `json.array` metatable, 0 when the json module is not installed.
    private let metatableSlot: Int32
    /// Set when decoding stopped because the VM went over its memory cap.
    private var overMemory = false

    private init(L: OpaquePointer, text: UnsafeRawBufferPointer, metatableSlot: Int32) {
        self.L = L
        self.scanner = JSONScanner(text)
        self.metatableSlot = metatableSlot
    }

    /// Pushes the decoded value, or pushes nothing and returns the error. The VM's memory
    /// cap is checked after every batch of entries, whether a call runs or not (a decoded
    /// response is built before the script resumes): past it, decoding stops with the
    /// `memory limit`, so the VM never holds much more than its cap.
    static func decode(_ L: OpaquePointer, _ text: UnsafeRawBufferPointer) -> LuaValueError? {
        let top = lua_gettop(L)
        guard lua_checkstack(L, 2 * batch + 8) != 0 else { return LuaValueError(message: "out of Lua stack space") }
        let metatableSlot: Int32 = LuaJSON.pushArrayMetatable(L) ? top + 1 : 0
        var decoder = LuaJSONDecoder(L: L, text: text, metatableSlot: metatableSlot)
        if decoder.scanner.failure == nil && decoder.value(depth: 0) {
            decoder.scanner.skipWhitespace()
            if decoder.scanner.isAtEnd {
                if metatableSlot != 0 { clua_remove(L, metatableSlot) }
                return nil
            }
            decoder.scanner.fail("unexpected characters after the JSON value", at: decoder.scanner.position)
        }
        lua_settop(L, top)
        if decoder.overMemory {
            return LuaValueError(
                message: "\(LuaLimit.memory.rawValue) exceeded (the decoded value does not fit under the VM's cap)", limit: .memory)
        }
        return LuaValueError(message: decoder.scanner.error?.description ?? "invalid JSON")
    }

    private mutating func value(depth: Int) -> Bool {
        scanner.skipWhitespace()
        guard !scanner.isAtEnd else { return failed("unexpected end of input") }
        switch scanner.current {
        case UInt8(ascii: "\""):
            guard let bytes = scanner.scanString() else { return false }
            lua_pushlstring(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch scanner.scanNumber() {
            case .integer(let i)?: lua_pushinteger(L, lua_Integer(i))
            case .double(let d)?: lua_pushnumber(L, d)
            case nil: return false
            }
            return true
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "t"):
            guard scanner.scanLiteral("true") else { return false }
            lua_pushboolean(L, 1)
            return true
        case UInt8(ascii: "f"):
            guard scanner.scanLiteral("false") else { return false }
            lua_pushboolean(L, 0)
            return true
        case UInt8(ascii: "n"):
            guard scanner.scanLiteral("null") else { return false }
            clua_push_null(L)
            return true
        default:
            return failed("expected a value")
        }
    }

    private mutating func object(depth: Int) -> Bool {
        guard depth <= JSONValue.maximumDepth else { return failed("nesting deeper than \(JSONValue.maximumDepth)") }
        guard lua_checkstack(L, 2 * Self.batch + 8) != 0 else { return failed("out of Lua stack space") }
        scanner.position += 1
        let table = lua_gettop(L) + 1
        var created = false
        var pending: Int32 = 0
        scanner.skipWhitespace()
        if !scanner.isAtEnd && scanner.current == UInt8(ascii: "}") {
            scanner.position += 1
            lua_createtable(L, 0, 0)
            return true
        }
        while true {
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            guard scanner.current == UInt8(ascii: "\"") else { return failed("expected a string key") }
            guard let key = scanner.scanString() else { return false }
            lua_pushlstring(L, key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count)
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            guard scanner.current == UInt8(ascii: ":") else { return failed("expected ':'") }
            scanner.position += 1
            guard value(depth: depth) else { return false }
            pending += 1
            if pending == Self.batch {
                if !created {
                    lua_createtable(L, 0, 2 * Self.batch)
                    lua_rotate(L, table, 1)
                    created = true
                }
                storeMembers(pending, into: table)
                pending = 0
                guard clua_memory_exceeded(L) == 0 else { return failedMemory() }
            }
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            switch scanner.current {
            case UInt8(ascii: ","):
                scanner.position += 1
            case UInt8(ascii: "}"):
                scanner.position += 1
                if !created {
                    lua_createtable(L, 0, pending)
                    lua_rotate(L, table, 1)
                }
                storeMembers(pending, into: table)
                return true
            default:
                return failed("expected ',' or '}'")
            }
        }
    }

    /// Stores the `count` key/value pairs above `table`, in order (a repeated key keeps
    /// its last value), and pops them.
    private func storeMembers(_ count: Int32, into table: Int32) {
        var slot = table + 1
        for _ in 0..<count {
            lua_pushvalue(L, slot)
            lua_pushvalue(L, slot + 1)
            lua_rawset(L, table)
            slot += 2
        }
        lua_settop(L, table)
    }

    private mutating func array(depth: Int) -> Bool {
        guard depth <= JSONValue.maximumDepth else { return failed("nesting deeper than \(JSONValue.maximumDepth)") }
        guard lua_checkstack(L, Self.batch + 8) != 0 else { return failed("out of Lua stack space") }
        scanner.position += 1
        let table = lua_gettop(L) + 1
        var created = false
        var pending: Int32 = 0
        var stored: Int64 = 0
        scanner.skipWhitespace()
        if !scanner.isAtEnd && scanner.current == UInt8(ascii: "]") {
            scanner.position += 1
            lua_createtable(L, 0, 0)
            markArray(table)
            return true
        }
        while true {
            guard value(depth: depth) else { return false }
            pending += 1
            if pending == Self.batch {
                if !created {
                    lua_createtable(L, 2 * Self.batch, 0)
                    lua_rotate(L, table, 1)
                    created = true
                }
                storeElements(pending, into: table, after: &stored)
                pending = 0
                guard clua_memory_exceeded(L) == 0 else { return failedMemory() }
            }
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { return failed("unexpected end of input") }
            switch scanner.current {
            case UInt8(ascii: ","):
                scanner.position += 1
            case UInt8(ascii: "]"):
                scanner.position += 1
                if !created {
                    lua_createtable(L, pending, 0)
                    lua_rotate(L, table, 1)
                }
                storeElements(pending, into: table, after: &stored)
                markArray(table)
                return true
            default:
                return failed("expected ',' or ']'")
            }
        }
    }

    /// Stores the `count` values above `table` at `stored + 1 ...` and pops them.
    private func storeElements(_ count: Int32, into table: Int32, after stored: inout Int64) {
        var index = stored + Int64(count)
        while index > stored {
            lua_rawseti(L, table, lua_Integer(index))
            index -= 1
        }
        stored += Int64(count)
    }

    private func markArray(_ table: Int32) {
        guard metatableSlot != 0 else { return }
        lua_pushvalue(L, metatableSlot)
        lua_setmetatable(L, table)
    }

    private mutating func failedMemory() -> Bool {
        overMemory = true
        return failed("memory limit exceeded")
    }

    private mutating func failed(_ message: String) -> Bool {
        scanner.fail(message, at: scanner.position)
    }
}
