import Host

/// A call's end decided inside a hook run, carried out of it.
struct FinishedResult: Error {
    let value: CallResult.Value
    let location: String?

    init(_ outcome: Outcome, location: String? = nil) {
        self.value = .outcome(outcome)
        self.location = location
    }

    init(_ failure: (Outcome, String?)) {
        self.init(failure.0, location: failure.1)
    }
}

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

    /// The `error` outcome of a hook that failed, naming the hook, script and line.
    func hookFailure(_ hook: String, _ error: LuaScriptError) -> (Outcome, String?) {
        var message = error.message
        if let location = error.location, !message.contains(location) {
            message = "\(location): \(message)"
        }
        return (.error("\(hook): \(message)"), error.location)
    }

    func finish(_ call: PendingCall, _ outcome: Outcome) -> CallStep {
        finish(call, .outcome(outcome))
    }

    func finish(_ call: PendingCall, _ failure: (Outcome, String?)) -> CallStep {
        finish(call, .outcome(failure.0), location: failure.1)
    }

    func finish(_ call: PendingCall, _ finished: FinishedResult) -> CallStep {
        finish(call, finished.value, location: finished.location)
    }

    func finish(_ call: PendingCall, _ value: CallResult.Value, location: String? = nil) -> CallStep {
        cancel(call)
        var value = value
        if case .outcome(var o) = value, let m = o.message {
            o.message = call.host.masker.mask(m)
            value = .outcome(o)
        }
        return .finished(CallResult(value: value, exchanges: call.exchanges, logs: call.host.logs, location: location, masker: call.host.masker))
    }

    /// Runs a call to its end, answering each request with `transport` on this thread.
    public func run(_ input: CallInput, transport: (HTTPRequest) -> HTTPResponse) -> CallResult {
        let (call, first) = start(input)
        var step = first
        while true {
            switch step {
            case .finished(let result): return result
            case .needsHTTP(let request): step = resume(call, with: transport(request))
            }
        }
    }
}
