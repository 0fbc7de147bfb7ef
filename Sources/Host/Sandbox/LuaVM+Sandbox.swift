import CLua
import CLuaHost

/// Registry references of the sandbox's control functions.
struct SandboxRefs {
    var seal: Int32 = 0
}

extension LuaVM {
    /// Runs the prelude that prunes the standard library to the contract's sandbox, loaded
    /// from the bytecode compiled once per process (every VM runs the same prelude).
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
