import CLua

/// Registry references of the sandbox's control functions.
struct SandboxRefs {
    var seal: Int32 = 0
}

extension LuaVM {
    /// Runs the prelude that prunes the standard library to the contract's sandbox.
    func installSandbox() throws {
        let source = SandboxPrelude.source
        let count = source.utf8.count
        let status = source.withCString { clua_load_text(L, $0, count, "=sandbox") }
        guard status == LUA_OK else {
            throw LuaHostError.preludeFailed(LuaState(L).string(at: -1) ?? "load failed")
        }
        pushHostFunction(LibraryLoader.loadLibrary)
        guard clua_pcall(L, 1, 1, 0) == LUA_OK else {
            throw LuaHostError.preludeFailed(LuaState(L).string(at: -1) ?? "run failed")
        }
        sandbox.seal = ref()
    }

    /// Makes the globals, the library tables and `scriptTable` (on top of the main
    /// stack, popped) read-only. Call once the script has loaded.
    public func seal() -> LuaScriptError? {
        push(ref: sandbox.seal)
        lua_rotate(L, -2, 1)
        return protectedCall(arguments: 1, results: 0)
    }
}
