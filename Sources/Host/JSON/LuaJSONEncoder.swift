import CLua

/// Writes Lua values as JSON bytes (see `LuaJSON.encode` for the rules).
///
/// An object's entries stay on the Lua stack while it is written (key, value, key,
/// value, ...), so the sort compares the keys' bytes in place and no Swift string is made
/// per key. The tables being written are kept as `ancestors` to find cycles.
struct LuaJSONEncoder {
    /// A key of the object being written: its bytes (owned by the table) and the stack
    /// slot of its value.
    struct ObjectKey {
        var bytes: UnsafePointer<CChar>
        var count: Int
        var slot: Int32
    }

    let L: OpaquePointer
    let arrayMetatable: UnsafeRawPointer?
    var out: [UInt8] = []
    var failure: JSONEncodeFailure?
    private var ancestors: [UnsafeRawPointer] = []
    private var keys: [ObjectKey] = []

    init(L: OpaquePointer, arrayMetatable: UnsafeRawPointer?) {
        self.L = L
        self.arrayMetatable = arrayMetatable
    }

    /// Appends the value at `index`; `depth` is the number of enclosing tables.
    mutating func value(at index: Int32, depth: Int) -> Bool {
        switch lua_type(L, index) {
        case LUA_TSTRING:
            var count = 0
            let p = clua_tolstring(L, index, &count)
            if JSONWriter.appendString(UnsafeRawBufferPointer(start: p, count: count), to: &out) { return true }
            return fail("invalid UTF-8 in string")
        case LUA_TNUMBER:
            if clua_isinteger(L, index) != 0 {
                JSONWriter.appendInteger(Int64(clua_tointegerx(L, index, nil)), to: &out)
                return true
            }
            let d = clua_tonumberx(L, index, nil)
            if JSONWriter.appendDouble(d, to: &out) { return true }
            return fail("cannot encode \(JSONWriter.nonFiniteName(d)) (JSON has no NaN or infinity)")
        case LUA_TBOOLEAN:
            out.append(contentsOf: (lua_toboolean(L, index) != 0 ? "true" : "false").utf8)
            return true
        case LUA_TTABLE:
            return table(at: lua_absindex(L, index), depth: depth + 1)
        case LUA_TNIL:
            out.append(contentsOf: "null".utf8)
            return true
        case LUA_TLIGHTUSERDATA where clua_is_null(L, index) != 0:
            out.append(contentsOf: "null".utf8)
            return true
        case let type:
            return fail("cannot encode a \(String(cString: lua_typename(L, type)))")
        }
    }

    private mutating func table(at index: Int32, depth: Int) -> Bool {
        guard depth <= JSONValue.maximumDepth else { return fail("nesting deeper than \(JSONValue.maximumDepth)") }
        guard lua_checkstack(L, 8) != 0 else { return fail("out of Lua stack space") }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        var t = index
        var marked = false
        if lua_getmetatable(L, t) != 0 {
            if lua_topointer(L, -1) == arrayMetatable {
                marked = true
            } else if let hidden = readOnlyContents() {
                t = hidden
            }
        }
        let identity = lua_topointer(L, t)!
        if ancestors.contains(identity) { return fail("cycle") }
        if ancestors.isEmpty { ancestors.reserveCapacity(8) }
        ancestors.append(identity)
        defer { ancestors.removeLast() }
        lua_pushnil(L)
        if lua_next(L, t) == 0 {
            out.append(contentsOf: (marked ? "[]" : "{}").utf8)
            return true
        }
        if !marked && lua_type(L, -2) == LUA_TSTRING { return object(at: t, depth: depth) }
        return array(at: t, depth: depth, marked: marked)
    }

    /// With a metatable on top: when it is the sandbox's read-only proxy (library tables
    /// and the script's own table, see `SandboxPrelude`), pushes the table holding the
    /// contents and returns its slot, so that sealed constants encode as what they hold.
    private func readOnlyContents() -> Int32? {
        let mt = lua_gettop(L)
        clua_rawgetfield(L, mt, "__metatable")
        var count = 0
        guard lua_type(L, -1) == LUA_TSTRING, let p = clua_tolstring(L, -1, &count),
              String(decoding: UnsafeRawBufferPointer(start: p, count: count), as: UTF8.self) == "read-only table" else {
            return nil
        }
        clua_rawgetfield(L, mt, "__index")
        return lua_type(L, -1) == LUA_TTABLE ? lua_gettop(L) : nil
    }

    /// With the first entry's key and value on top of the stack.
    private mutating func object(at t: Int32, depth: Int) -> Bool {
        let first = keys.count
        if keys.capacity == 0 { keys.reserveCapacity(32) }
        defer { keys.removeSubrange(first...) }
        repeat {
            guard lua_type(L, -2) == LUA_TSTRING else { return failKey() }
            var count = 0
            let p = clua_tolstring(L, -2, &count)!
            keys.append(ObjectKey(bytes: p, count: count, slot: lua_gettop(L)))
            guard lua_checkstack(L, 3) != 0 else { return fail("object too large for the Lua stack") }
            lua_pushvalue(L, -2)
        } while lua_next(L, t) != 0
        sortKeys(from: first)
        out.append(UInt8(ascii: "{"))
        for i in first..<keys.count {
            let key = keys[i]
            if i > first { out.append(UInt8(ascii: ",")) }
            let bytes = UnsafeRawBufferPointer(start: key.bytes, count: key.count)
            guard JSONWriter.appendString(bytes, to: &out) else {
                return fail("invalid UTF-8 in key \(JSONValue.string(String(decoding: bytes, as: UTF8.self)).encoded())")
            }
            out.append(UInt8(ascii: ":"))
            guard value(at: key.slot, depth: depth) else {
                failure?.reversedPath.append(.key(String(decoding: bytes, as: UTF8.self)))
                return false
            }
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// With the first entry's key and value on top of the stack.
    private mutating func array(at t: Int32, depth: Int, marked: Bool) -> Bool {
        var count: Int64 = 0
        var largest: Int64 = 0
        repeat {
            guard lua_type(L, -2) == LUA_TNUMBER, clua_isinteger(L, -2) != 0 else {
                return failKey(marked: marked)
            }
            let key = Int64(clua_tointegerx(L, -2, nil))
            guard key >= 1 else { return fail("sparse array: integer key \(key) outside 1..n") }
            count += 1
            largest = max(largest, key)
            lua_settop(L, -2)
        } while lua_next(L, t) != 0
        guard largest == count else {
            return fail("sparse array: \(count) entries but largest key \(largest) (keys must be exactly 1..n)")
        }
        out.append(UInt8(ascii: "["))
        for i in 1...count {
            if i > 1 { out.append(UInt8(ascii: ",")) }
            lua_rawgeti(L, t, lua_Integer(i))
            guard value(at: lua_gettop(L), depth: depth) else {
                failure?.reversedPath.append(.index(i))
                return false
            }
            lua_settop(L, -2)
        }
        out.append(UInt8(ascii: "]"))
        return true
    }

    /// Fails for the key at -2, which cannot be part of an object (or array).
    private mutating func failKey(marked: Bool = false) -> Bool {
        switch lua_type(L, -2) {
        case LUA_TSTRING where marked:
            let key = JSONValue.string(LuaState(L).string(at: -2) ?? "").encoded()
            return fail("string key \(key) in a table marked by json.array")
        case LUA_TSTRING:
            return failMixed()
        case LUA_TNUMBER where clua_isinteger(L, -2) != 0:
            return failMixed()
        case LUA_TNUMBER:
            return fail("non-integer number key \(clua_tonumberx(L, -2, nil)) (object keys must be strings)")
        default:
            return fail("key of type \(LuaState(L).typeName(at: -2)) (object keys must be strings)")
        }
    }

    private mutating func failMixed() -> Bool {
        fail("mixed string and integer keys (an array needs keys 1..n, an object string keys)")
    }

    private mutating func fail(_ reason: String) -> Bool {
        failure = JSONEncodeFailure(reason: reason)
        return false
    }

    /// Sorts `keys[first...]` by byte order (insertion sort: objects are small).
    private mutating func sortKeys(from first: Int) {
        let n = keys.count - first
        guard n > 1 else { return }
        if n > 32 {
            keys[first...].sort(by: Self.precedes)
            return
        }
        keys.withUnsafeMutableBufferPointer { all in
            for i in (first + 1)..<all.count {
                let key = all[i]
                var j = i - 1
                while j >= first && Self.precedes(key, all[j]) {
                    all[j + 1] = all[j]
                    j -= 1
                }
                all[j + 1] = key
            }
        }
    }

    @inline(__always)
    private static func precedes(_ a: ObjectKey, _ b: ObjectKey) -> Bool {
        let c = memcmp(a.bytes, b.bytes, min(a.count, b.count))
        return c != 0 ? c < 0 : a.count < b.count
    }
}
