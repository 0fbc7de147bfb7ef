import Host
import OutboundHTTP

extension IntegrationInstance {
    func requestReader(on thread: OpaquePointer? = nil) -> RequestReader {
        let limits = vm.limits
        return RequestReader(
            s: LuaState(thread ?? vm.L),
            defaultTimeout: manifest.limits.timeout ?? limits.httpTimeoutSeconds,
            maxTimeout: limits.maxHTTPTimeoutSeconds,
            maxResponseBytes: limits.responseBytes,
            maxBodyBytes: limits.requestBytes)
    }

    /// A failure of `hook` the host found: at the line where `thread` is suspended when
    /// one is given (a stray yield, a request of the wrong shape handed to `http.request`).
    func failure(_ hook: CallHook?, _ what: String, suspendedIn thread: LuaThread? = nil) -> CallFailure {
        guard let thread, let hook else { return CallFailure(script: manifest.name, hook: hook, what: what) }
        return CallFailure(script: manifest.name, file: sourceName, hook: hook, frames: vm.fileFrames(of: thread.L), what: what)
    }

    /// A hook's Lua failure: a runtime error or an exceeded limit.
    func failure(_ hook: CallHook, _ error: LuaScriptError) -> CallFailure {
        CallFailure(error, script: manifest.name, file: sourceName, hook: hook)
    }

    /// Ends `call`, the one way every call ends: gives back what its phase holds, then
    /// builds its result (a failure as outcome `error`; a hook's outcome with its message
    /// masked).
    func finish(_ call: PendingCall, _ end: CallEnd) -> CallStep {
        cancel(call)
        switch end {
        case .failed(let failure):
            return .finished(failure.result(exchanges: call.exchanges, logs: call.host.logs, masker: call.host.masker))
        case .returned(var value, let hook):
            if case .outcome(var o) = value, let m = o.message {
                o.message = call.host.masker.mask(m)
                value = .outcome(o)
            }
            return .finished(
                CallResult(value: value, exchanges: call.exchanges, logs: call.host.logs, hook: hook, masker: call.host.masker))
        }
    }
}
