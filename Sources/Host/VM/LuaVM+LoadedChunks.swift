import CLua

extension LuaVM {
    /// Pushes `chunk` as a function whose globals are the global table installed now. The
    /// first time, the bytecode is undumped and the function kept in the VM; after that the
    /// kept function is pushed with its `_ENV` set to the current globals, without undumping
    /// again. Running it runs the chunk's code anew (new locals, new closures): what
    /// `IntegrationInstance(reloading:)` needs after `renewGlobals`. Returns false with Lua's
    /// message on top if the VM refused the bytecode (out of memory). Pushes onto `thread`
    /// (default: the main thread).
    public func pushLoaded(_ chunk: LuaChunk, onto thread: OpaquePointer? = nil) -> Bool {
        let T = thread ?? L
        let key = ObjectIdentifier(chunk)
        if let kept = loadedChunks[key] {
            push(ref: kept.ref, onto: T)
            lua_rawgeti(T, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
            _ = lua_setupvalue(T, -2, 1)
            return true
        }
        guard LuaState(T).load(chunk) else { return false }
        lua_pushvalue(T, -1)
        loadedChunks[key] = (chunk, luaL_ref(T, clua_registryindex()))
        return true
    }
}
