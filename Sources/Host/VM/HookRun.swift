/// What one resume of a hook's coroutine runs for: the call whose clock, cache scope,
/// secrets and logs the host functions use, and whether the coroutine may wait in
/// `http.request`. Given to `LuaVM.resume` and `protectedCall`, and visible to host
/// functions (through their context, `LuaVM.from(context).running`) only while that
/// resume runs: there is no current call to set before and forget to clear after.
public struct HookRun {
    public let call: HostCall
    /// The coroutine being resumed, when it is the `send` hook's (the only one in which
    /// `http.request` may wait); nil for hooks that must not wait.
    public let httpThread: OpaquePointer?

    public init(call: HostCall, httpThread: OpaquePointer? = nil) {
        self.call = call
        self.httpThread = httpThread
    }
}

/// Why a coroutine yielded back to the host.
public enum YieldReason: Equatable, Sendable {
    /// `http.request` waits: its request table is alone on the coroutine's stack.
    case httpRequest
    /// The script's own `coroutine.yield` out of the hook (a contract violation).
    case stray
}
