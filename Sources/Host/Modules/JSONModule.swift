import CLua
import CLuaHost

/// `json`: JSON for scripts (contract, section 4). Encoding is deterministic so that
/// signed bodies are reproducible: compact, keys sorted by byte order, `/` and non-ASCII
/// as is, integral floats as integers. Both directions raise on bad input; use `pcall`
/// to recover:
///
///     local ok, data = pcall(json.decode, response.body)
///     if not ok then return { outcome = "retry", reason = "unavailable", message = data } end
public enum JSONModule {
    public static let module = HostModule(
        name: "json",
        functions: [("encode", encode), ("decode", decode), ("array", array)],
        fields: { _, s in
            // The metatable marking arrays; `__metatable` keeps scripts from reading or
            // replacing it (getmetatable returns the string, setmetatable raises).
            s.newTable(recordCount: 1)
            s.push("json.array")
            s.setRawField(-2, "__metatable")
            clua_set_json_array_ref(s.L, luaL_ref(s.L, clua_registryindex()))
            s.pushNull()
            s.setRawField(-2, "null")
        }
    )

    /// `json.encode(value) -> string`: compact JSON. Tables marked by `json.array`, or
    /// whose keys are exactly 1..n, are arrays; an empty unmarked table is `{}`; tables
    /// with string keys are objects. Raises, naming the path, on cycles, nesting deeper
    /// than 200, mixed or sparse keys, NaN or infinity, strings that are not UTF-8, and
    /// functions, userdata or threads.
    ///
    ///     json.encode({ b = 1, a = { 49.0, 0.1, json.null } })  --> {"a":[49,0.1,null],"b":1}
    ///     json.encode(json.array())                              --> []
    ///
    /// Bounded like the script's own work: every value written is charged to the call's
    /// instruction budget, the deadline is checked, and the text counts against the VM's
    /// memory cap as it grows (a table holding the same subtable many times would
    /// otherwise encode in exponential time and space).
    static let encode: HostFunction = { L, _ in
        let s = LuaState(L)
        guard s.top >= 1 else { return s.raise("json.encode: expected a value to encode") }
        let room = clua_memory_room(L)
        switch LuaJSON.withEncoded(s.L, at: 1, maxBytes: Int(clamping: room), { s.push(bytes: $0) }) {
        case .success: return 1
        case .failure(let error) where error.overBytes != nil:
            clua_mark_hit(L, Int32(CLUA_HIT_MEMORY))
            return s.raise(
                "json.encode: \(LuaLimit.memory.rawValue) exceeded (the JSON text is longer than the \(room) bytes left under the VM's cap)"
            )
        case .failure(let error):
            return s.raise("json.encode: " + error.message)
        }
    }

    /// `json.decode(text) -> value`: integers for numbers without fraction or exponent
    /// that fit in 64 bits, floats otherwise; `json.null` for null (object members keep
    /// their key); arrays come back marked by `json.array`, so they re-encode as arrays
    /// even when empty. Raises on malformed text with its position, e.g.
    /// `json.decode: line 3, column 7: expected ',' or '}'`, and on nesting deeper than 200.
    ///
    ///     local data = json.decode('{"status":true,"data":{"id":"123"}}')
    ///     data.data.id  --> "123"
    static let decode: HostFunction = { L, _ in
        let s = LuaState(L)
        guard let bytes = s.bytes(at: 1) else {
            return s.raise("json.decode: expected a string, got \(s.typeName(at: 1))")
        }
        if let error = LuaJSON.decode(s, bytes) {
            if let limit = error.limit { clua_mark_hit(L, limit.hitCode) }
            return s.raise("json.decode: " + error.message)
        }
        return 1
    }

    /// `json.array([t]) -> t`: marks `t` (or a new empty table) as a JSON array, so that it
    /// encodes as `[]` when empty. Raises if `t` already has another metatable.
    ///
    ///     local body = { ids = json.array() }   --> {"ids":[]}
    static let array: HostFunction = { L, _ in
        let s = LuaState(L)
        if s.isNil(1) {
            s.top = 0
            s.newTable()
        } else if !s.isTable(1) {
            return s.raise("json.array: expected a table or nothing, got \(s.typeName(at: 1))")
        }
        s.top = 1
        guard LuaJSON.pushArrayMetatable(s.L) else { return s.raise("json.array: the json module is not installed") }
        if lua_getmetatable(s.L, 1) != 0 {
            let same = lua_rawequal(s.L, -1, -2) != 0
            s.pop()
            guard same else { return s.raise("json.array: the table already has a metatable") }
        }
        lua_setmetatable(s.L, 1)
        return 1
    }
}
