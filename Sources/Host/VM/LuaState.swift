import CLua
import CLuaHost

/// A thin, non-raising view of a `lua_State*` for host functions and the runtime.
///
/// Every method uses only API calls that cannot raise (raw access, no metamethods), or
/// runs while the VM is in host mode, where the allocator never refuses: so Swift code
/// never sees a `longjmp`.
public struct LuaState {
    public let L: OpaquePointer

    @inlinable public init(_ L: OpaquePointer) { self.L = L }
    @inlinable public init(_ L: OpaquePointer?) { self.L = L! }

    @inlinable public var top: Int32 {
        get { lua_gettop(L) }
        nonmutating set { lua_settop(L, newValue) }
    }

    @inlinable public func type(at index: Int32) -> LuaType { LuaType(rawValue: lua_type(L, index)) ?? .none }
    @inlinable public func isNil(_ index: Int32) -> Bool { lua_type(L, index) <= LUA_TNIL }
    @inlinable public func isTable(_ index: Int32) -> Bool { lua_type(L, index) == LUA_TTABLE }
    @inlinable public func isString(_ index: Int32) -> Bool { lua_type(L, index) == LUA_TSTRING }
    @inlinable public func absolute(_ index: Int32) -> Int32 { lua_absindex(L, index) }
    @inlinable public func pop(_ n: Int32 = 1) { lua_settop(L, -n - 1) }

    // MARK: Reading

    /// The string at `index` when it is a string (numbers are not converted).
    @inlinable public func string(at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var len = 0
        guard let p = clua_tolstring(L, index, &len) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }

    /// The string at `index`, or a number formatted the way Lua's `tostring` does.
    public func stringOrNumber(at index: Int32) -> String? {
        switch lua_type(L, index) {
        case LUA_TSTRING: return string(at: index)
        case LUA_TNUMBER:
            if clua_isinteger(L, index) != 0 { return String(clua_tointegerx(L, index, nil)) }
            lua_pushvalue(L, index)
            defer { pop() }
            return string(atConverted: -1)
        default: return nil
        }
    }

    private func string(atConverted index: Int32) -> String? {
        var len = 0
        guard let p = clua_tolstring(L, index, &len) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }

    /// The bytes of the string at `index`, valid while the string stays on the stack.
    @inlinable public func bytes(at index: Int32) -> UnsafeRawBufferPointer? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var len = 0
        guard let p = clua_tolstring(L, index, &len) else { return nil }
        return UnsafeRawBufferPointer(start: p, count: len)
    }

    @inlinable public func integer(at index: Int32) -> Int64? {
        var ok: Int32 = 0
        let v = clua_tointegerx(L, index, &ok)
        return ok != 0 && lua_type(L, index) == LUA_TNUMBER ? Int64(v) : nil
    }

    @inlinable public func number(at index: Int32) -> Double? {
        guard lua_type(L, index) == LUA_TNUMBER else { return nil }
        return clua_tonumberx(L, index, nil)
    }

    @inlinable public func bool(at index: Int32) -> Bool { lua_toboolean(L, index) != 0 }

    /// Pushes `t[key]` without metamethods; returns its Lua type.
    @discardableResult
    @inlinable public func rawField(_ table: Int32, _ key: String) -> LuaType {
        let t = lua_absindex(L, table)
        push(key)
        return LuaType(rawValue: lua_rawget(L, t)) ?? .none
    }

    /// `t[key] = <top>` without metamethods; pops the value.
    @inlinable public func setRawField(_ table: Int32, _ key: String) {
        let t = lua_absindex(L, table)
        push(key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, t)
    }

    /// Raw length of the table or string at `index`.
    @inlinable public func rawLength(_ index: Int32) -> Int { Int(lua_rawlen(L, index)) }

    // MARK: Pushing

    @inlinable public func pushNil() { lua_pushnil(L) }
    @inlinable public func push(_ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }
    @inlinable public func push(_ i: Int64) { lua_pushinteger(L, lua_Integer(i)) }
    @inlinable public func push(_ i: Int) { lua_pushinteger(L, lua_Integer(i)) }
    @inlinable public func push(_ d: Double) { lua_pushnumber(L, d) }
    /// Pushes `s` straight from its UTF-8 storage when that is contiguous (native strings),
    /// else from a contiguous copy.
    @inlinable public func push(_ s: String) {
        let done = s.utf8.withContiguousStorageIfAvailable { buf in
            _ = lua_pushlstring(L, UnsafeRawPointer(buf.baseAddress)?.assumingMemoryBound(to: CChar.self), buf.count)
        }
        if done == nil {
            var s = s
            s.withUTF8 { buf in _ = lua_pushlstring(L, buf.baseAddress, buf.count) }
        }
    }
    @inlinable public func push(bytes: UnsafeRawBufferPointer) {
        _ = lua_pushlstring(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
    }
    @inlinable public func push(bytes: [UInt8]) {
        bytes.withUnsafeBytes { push(bytes: $0) }
    }
    @inlinable public func newTable(arrayCount: Int32 = 0, recordCount: Int32 = 0) {
        lua_createtable(L, arrayCount, recordCount)
    }
    @inlinable public func pushNull() { clua_push_null(L) }
    @inlinable public func isNull(_ index: Int32) -> Bool { clua_is_null(L, index) != 0 }

    // MARK: Errors

    /// Leaves `"<script>:<line>: <message>"` on the stack (position of the calling Lua
    /// code) and returns `HostReturn.raise`, for a host function to return.
    public func raise(_ message: String) -> Int32 {
        luaL_where(L, 1)
        push(message)
        lua_concat(L, 2)
        return HostReturn.raise
    }

    /// A readable name of the Lua type at `index` ("nil", "table", ...).
    public func typeName(at index: Int32) -> String {
        if isNull(index) { return "json.null" }
        return String(cString: lua_typename(L, lua_type(L, index)))
    }
}
