import CLua

/// `url`: percent-encoding and query strings, by the same rules as the runtime's form
/// bodies (RFC 3986 unreserved characters kept, `%XX` upper-case, keys sorted by bytes).
public enum URLModule {
    public static let module = HostModule(
        name: "url",
        functions: [
            ("encode", encode), ("decode", decode), ("query", query), ("parse_query", parseQuery),
        ])

    /// `url.encode(s)`: every byte but A-Z a-z 0-9 `-` `.` `_` `~` as `%XX`.
    ///
    ///     url.encode("a b&c/é") --> "a%20b%26c%2F%C3%A9"
    static let encode: HostFunction = { L, _ in
        let s = LuaState(L)
        if let refused = s.refuseOverMemory("url.encode", resultBytes: 3 * s.stringLength(at: 1)) { return refused }
        guard let out = s.withStringBytes(at: 1, { PercentEncoding.encode($0) }) else {
            return s.raiseExpectedString("url.encode", at: 1)
        }
        s.push(bytes: out)
        return 1
    }

    /// `url.decode(s)`: `%XX` and `+` (a space) decoded; a malformed escape stays as is.
    ///
    ///     url.decode("a%20b+c%zz") --> "a b c%zz"
    static let decode: HostFunction = { L, _ in
        let s = LuaState(L)
        guard let out = s.withStringBytes(at: 1, { PercentEncoding.decode($0) }) else {
            return s.raiseExpectedString("url.decode", at: 1)
        }
        s.push(bytes: out)
        return 1
    }

    /// `url.query(t)`: `t` as a query string, keys sorted by byte order. Values are
    /// strings, numbers or booleans; an array repeats its key (`k=1&k=2`, in array
    /// order); `json.null` and an empty array leave the key out; other tables raise.
    ///
    ///     url.query({ b = "x y", a = 1, ids = { 3, 4 } }) --> "a=1&b=x%20y&ids=3&ids=4"
    static let query: HostFunction = { L, _ in
        let s = LuaState(L)
        guard s.isTable(1) else { return s.raise("url.query: expected a table, got \(s.typeName(at: 1))") }
        var pairs: [(key: [UInt8], value: [UInt8])] = []
        lua_checkstack(L, 8)
        s.pushNil()
        while lua_next(L, 1) != 0 {
            // The key is read without converting it in place, so lua_next stays valid.
            guard lua_type(L, -2) == LUA_TSTRING || lua_type(L, -2) == LUA_TNUMBER,
                let keyBytes = s.withStringBytes(at: -2, { Array($0) })
            else {
                return s.raise("url.query: keys must be strings, got \(s.typeName(at: -2))")
            }
            let key = String(decoding: keyBytes, as: UTF8.self)
            if s.isTable(-1) {
                let count = s.rawLength(-1)
                var nonArray = false
                s.pushNil()
                while lua_next(L, -2) != 0 {
                    if let i = s.integer(at: -2), lua_type(L, -2) == LUA_TNUMBER, i >= 1, i <= count {} else { nonArray = true }
                    s.pop()
                }
                if nonArray { return s.raise("url.query: nested table under key '\(key)' (only arrays of scalars can repeat a key)") }
                for i in stride(from: 1, through: count, by: 1) {
                    lua_rawgeti(L, -1, lua_Integer(i))
                    guard let value = scalar(s, at: -1) else {
                        return s.raise(
                            "url.query: unsupported \(s.typeName(at: -1)) at '\(key)'[\(i)] (strings, numbers and booleans only)")
                    }
                    s.pop()
                    pairs.append((keyBytes, value))
                }
            } else if !s.isNull(-1) {
                guard let value = scalar(s, at: -1) else {
                    return s.raise("url.query: unsupported \(s.typeName(at: -1)) at '\(key)' (strings, numbers and booleans only)")
                }
                pairs.append((keyBytes, value))
            }
            s.pop()
        }
        // Stable sort: repeated keys keep their array order.
        let sorted = pairs.enumerated().sorted { a, b in
            if a.element.key != b.element.key { return a.element.key.lexicographicallyPrecedes(b.element.key) }
            return a.offset < b.offset
        }
        var out = [UInt8]()
        for (n, pair) in sorted.enumerated() {
            if n > 0 { out.append(UInt8(ascii: "&")) }
            PercentEncoding.encode(pair.element.key, into: &out)
            out.append(UInt8(ascii: "="))
            PercentEncoding.encode(pair.element.value, into: &out)
        }
        s.push(bytes: out)
        return 1
    }

    /// `url.parse_query(s)`: a query string as a table of decoded strings. A leading `?`
    /// is ignored, a key without `=` gets `""`, a repeated key gives an array of its
    /// values in order.
    ///
    ///     local q = url.parse_query("?id=7&tag=a&tag=b&flag") --> { id = "7", tag = { "a", "b" }, flag = "" }
    static let parseQuery: HostFunction = { L, _ in
        let s = LuaState(L)
        guard let pairs = s.withStringBytes(at: 1, { queryPairs($0) }) else {
            return s.raiseExpectedString("url.parse_query", at: 1)
        }
        lua_checkstack(L, 8)
        s.newTable(recordCount: Int32(min(pairs.count, 1024)))
        let table = s.top
        for (key, value) in pairs {
            s.push(bytes: key)
            let existing = lua_rawget(L, table)
            if existing == LUA_TNIL {
                s.pop()
                s.push(bytes: key)
                s.push(bytes: value)
                lua_rawset(L, table)
            } else if existing == LUA_TSTRING {
                // Second occurrence: replace the string with { first, second }.
                s.newTable(arrayCount: 2)
                lua_rotate(L, -2, 1)
                lua_rawseti(L, -2, 1)
                s.push(bytes: value)
                lua_rawseti(L, -2, 2)
                s.push(bytes: key)
                lua_rotate(L, -2, 1)
                lua_rawset(L, table)
            } else {
                let n = s.rawLength(-1)
                s.push(bytes: value)
                lua_rawseti(L, -2, lua_Integer(n + 1))
                s.pop()
            }
        }
        return 1
    }

    /// The bytes of a query value: strings as they are, numbers as `tostring`, booleans
    /// as `true`/`false`.
    private static func scalar(_ s: LuaState, at index: Int32) -> [UInt8]? {
        if lua_type(s.L, index) == LUA_TBOOLEAN { return Array((s.bool(at: index) ? "true" : "false").utf8) }
        return s.withStringBytes(at: index) { Array($0) }
    }

    /// Raw (still encoded) pairs split at `&` and the first `=`, then decoded.
    private static func queryPairs(_ input: UnsafeRawBufferPointer) -> [(key: [UInt8], value: [UInt8])] {
        var bytes = input[...]
        if bytes.first == UInt8(ascii: "?") { bytes = bytes.dropFirst() }
        return bytes.split(separator: UInt8(ascii: "&")).map { part in
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                return (PercentEncoding.decode(part[..<eq]), PercentEncoding.decode(part[(eq + 1)...]))
            }
            return (PercentEncoding.decode(part), [])
        }
    }
}
