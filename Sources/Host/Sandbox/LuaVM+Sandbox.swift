import CLua
import CLuaHost

/// Registry references of the sandbox's control functions.
struct SandboxRefs {
    /// The prelude's `fresh`: makes a new global table and its `seal`.
    var fresh: Int32 = 0
    /// The `seal` of the global table installed now.
    var seal: Int32 = 0
}

extension LuaVM {
    /// Runs the prelude that prunes the standard library to the contract's sandbox, loaded
    /// from the bytecode compiled once per process (every VM runs the same prelude), then
    /// installs the first global table a script loads in.
    func installSandbox() throws {
        let loaded: Bool
        if let chunk = SandboxPrelude.compiled {
            loaded = LuaState(L).load(chunk)
        } else {
            let source = SandboxPrelude.source
            let count = source.utf8.count
            loaded = source.withCString { clua_load_text(L, $0, count, "=sandbox") } == LUA_OK
        }
        guard loaded else {
            throw LuaHostError.preludeFailed(LuaState(L).string(at: -1) ?? "load failed")
        }
        pushHostFunction(LibraryLoader.loadLibrary)
        clua_push_source_charger(L)
        guard clua_pcall(L, 2, 1, 0) == LUA_OK else {
            throw LuaHostError.preludeFailed(LuaState(L).string(at: -1) ?? "run failed")
        }
        sandbox.fresh = ref()
        try installGlobals()
    }

    /// Replaces the global table with a new copy of the sandbox's pruned globals, unsealed,
    /// with an empty `require` cache, the string metatable pointing at its `string`: what a
    /// script sees when it loads into a new VM. Whatever an earlier load left in its globals,
    /// its library tables or its libraries' module-level state is out of reach from then on
    /// (`IntegrationInstance(reloading:)` loads a script again this way, on the same VM).
    func installGlobals() throws {
        push(ref: sandbox.fresh)
        guard clua_pcall(L, 0, 2, 0) == LUA_OK else {
            throw LuaHostError.preludeFailed(LuaState(L).string(at: -1) ?? "cannot make the global table")
        }
        // ... env seal
        if sandbox.seal != 0 { unref(sandbox.seal) }
        sandbox.seal = ref()
        lua_rawseti(L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
    }

    /// Makes the globals, the library tables and `scriptTable` (on top of the main
    /// stack, popped) read-only. Call once the script has loaded.
    public func seal() -> LuaScriptError? {
        push(ref: sandbox.seal)
        lua_rotate(L, -2, 1)
        return protectedCall(arguments: 1, results: 0)
    }
}
