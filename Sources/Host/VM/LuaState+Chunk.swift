import CLua

extension LuaState {
    /// Compiles `source` as a text chunk (binary chunks are refused) named `@<name>`, so
    /// errors read `<name>:<line>: ...`. On success pushes the chunk as a function and
    /// returns `true`; on a syntax error pushes the message and returns `false`.
    public func load(_ source: LuaSource) -> Bool {
        let count = source.code.utf8.count
        return source.code.withCString { clua_load_text(L, $0, count, "@" + source.name) } == LUA_OK
    }
}
