import CLua
import CLuaHost

/// `http`: the one host module that waits. `http.request(req)` suspends the `send` hook's
/// coroutine and hands `req` to the runtime, which performs it and resumes the hook with
/// the response table (contract, section 3).
public enum HTTPModule {
    public static let module = HostModule(name: "http", functions: [("request", request)])

    /// `http.request(req) -> response`. Only inside `send` (also under `pcall`); in
    /// `prepare`, `parse_status` or a coroutine the script created it raises.
    ///
    ///     local res = http.request({ method = "GET", url = ctx.params.base_url .. "/leads" })
    static let request: HostFunction = { L, context in
        let s = LuaState(L)
        let vm = LuaVM.from(context)
        guard s.isTable(1) else {
            return s.raise("http.request: expected a request table, got \(s.typeName(at: 1))")
        }
        guard let allowed = vm.running?.httpThread, allowed == L else {
            return s.raise("http.request: only available inside send (not in prepare, parse_status or a coroutine the script created)")
        }
        guard lua_isyieldable(L) != 0 else {
            return s.raise("http.request: cannot wait here (called from inside a C function such as table.sort)")
        }
        s.top = 1
        vm.yieldReason = .httpRequest
        clua_set_yield_count(L, 1)
        return HostReturn.yield
    }
}
