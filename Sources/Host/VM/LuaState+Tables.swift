import CLua

/// A Lua value's type, as `lua_type` reports it.
public enum LuaType: Int32, Sendable {
    /// An index with no value (above the top of the stack).
    case none = -1
    case `nil` = 0
    case boolean = 1
    case lightUserdata = 2
    case number = 3
    case string = 4
    case table = 5
    case function = 6
    case userdata = 7
    case thread = 8
}

/// Stack shuffles and raw table walks for the runtime, so that it reads scripts' tables
/// without calling the Lua C API itself. None of these can raise on a valid index.
extension LuaState {
    @inlinable public func isFunction(_ index: Int32) -> Bool { lua_type(L, index) == LUA_TFUNCTION }
    @inlinable public func isBoolean(_ index: Int32) -> Bool { lua_type(L, index) == LUA_TBOOLEAN }

    /// Pushes a copy of the value at `index`.
    @inlinable public func pushValue(_ index: Int32) { lua_pushvalue(L, index) }

    /// Rotates the values from `index` to the top by `n` places towards the top
    /// (`lua_rotate`): `rotate(-2, 1)` swaps the two top values.
    @inlinable public func rotate(_ index: Int32, _ n: Int32) { lua_rotate(L, index, n) }

    /// `t[key] = value` without metamethods, with the key and the value on top of the
    /// stack (value on top); pops both.
    @inlinable public func rawSet(_ table: Int32) { lua_rawset(L, table) }

    /// Pushes `t[i]` without metamethods; returns its type.
    @discardableResult
    @inlinable public func rawElement(_ table: Int32, _ i: Int) -> LuaType {
        LuaType(rawValue: lua_rawgeti(L, table, lua_Integer(i))) ?? .none
    }

    /// The next entry of the table at `table` after the key on top (`lua_next`): pops the
    /// key and pushes the next key and its value, or pushes nothing and returns `false` at
    /// the end. Start with `pushNil()`; the table must not get new keys during the walk.
    @inlinable public func next(_ table: Int32) -> Bool { lua_next(L, table) != 0 }

    /// Moves the top `n` values of this stack to the top of `other`'s (same VM).
    @inlinable public func move(_ n: Int32, to other: LuaState) { lua_xmove(L, other.L, n) }

    /// A readable name of a Lua type ("nil", "table", ...).
    public func typeName(of type: LuaType) -> String { String(cString: lua_typename(L, type.rawValue)) }

    /// The line where the Lua function on top of the stack is defined (pops it), or nil
    /// for a C function.
    public func definitionLine() -> Int? {
        var ar = lua_Debug()
        guard lua_getinfo(L, ">S", &ar) != 0, ar.linedefined > 0 else { return nil }
        return Int(ar.linedefined)
    }
}
