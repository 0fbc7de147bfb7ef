import CLua
import LeadJSON

/// `JSONValue`s in and out of Lua, for host-side values (params, leads, results).
extension LuaState {
    /// Pushes `value`: `null` as `json.null`, arrays marked with the `json.array`
    /// metatable (so they encode as arrays even when empty), objects as plain tables.
    public func push(_ value: JSONValue) {
        _ = lua_checkstack(L, 4)
        switch value {
        case .null: pushNull()
        case .bool(let b): push(b)
        case .integer(let i): push(i)
        case .number(let d): push(d)
        case .string(let s): push(s)
        case .array(let elements):
            newTable(arrayCount: Int32(clamping: elements.count))
            for (i, element) in elements.enumerated() {
                push(element)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            if LuaJSON.pushArrayMetatable(L) { lua_setmetatable(L, -2) }
        case .object(let members):
            newTable(recordCount: Int32(clamping: members.count))
            for (key, member) in members {
                push(key)
                push(member)
                lua_rawset(L, -3)
            }
        }
    }

    /// The value at `index` as a `JSONValue`, by exactly the rules of `json.encode`
    /// (it goes through the same encoder), e.g. an integral float becomes `.integer`.
    /// Throws, naming the place (`cycle at $.a`), for what JSON cannot hold, and for a
    /// value whose JSON is longer than `maxBytes`.
    public func jsonValue(at index: Int32, maxBytes: Int = LuaJSON.maxHostValueBytes) throws(LuaValueError) -> JSONValue {
        if let flat = flatObject(at: index) { return flat }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        if let error = LuaJSON.encode(self, at: index, into: &bytes, maxBytes: maxBytes) {
            throw error
        }
        do {
            return try JSONValue.parse(bytes)
        } catch {
            // Only keys that are one text in two Unicode forms get here; a position in the
            // host's own text would tell the script nothing.
            throw LuaValueError(message: error.message)
        }
    }

    /// A table of string keys to strings, integers, booleans and `json.null` (what an
    /// outcome's `extra` usually is), read directly; nil for anything else, which takes the
    /// encoder's path. Both give the same value.
    private func flatObject(at index: Int32) -> JSONValue? {
        let t = absolute(index)
        guard isTable(t) else { return nil }
        if lua_getmetatable(L, t) != 0 {  // read-only or array table: the encoder's rules
            pop()
            return nil
        }
        var members: [String: JSONValue] = [:]
        var count = 0
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            defer { pop() }
            count += 1
            guard isString(-2), let keyBytes = bytes(at: -2), let key = String(validating: keyBytes, as: UTF8.self) else {
                pop()
                return nil
            }
            switch lua_type(L, -1) {
            case LUA_TSTRING:
                guard let valueBytes = bytes(at: -1), let text = String(validating: valueBytes, as: UTF8.self) else {
                    pop()
                    return nil
                }
                members[key] = .string(text)
            case LUA_TNUMBER where clua_isinteger(L, -1) != 0:
                members[key] = .integer(integer(at: -1) ?? 0)
            case LUA_TBOOLEAN:
                members[key] = .bool(bool(at: -1))
            case LUA_TLIGHTUSERDATA where isNull(-1):
                members[key] = .null
            default:
                pop()
                return nil
            }
        }
        // Fewer members than keys: two keys were one text in two Unicode forms, which the
        // encoder's path reports.
        return members.isEmpty || members.count != count ? nil : .object(members)
    }
}
