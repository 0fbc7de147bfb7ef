extension CircuitBreaker.Event {
    /// What a call's result says about its target.
    ///
    /// - `failure`: the script returned `retry` with reason `timeout` or `unavailable`, or
    ///   the call's last request ended in a transport failure (timeout, connect, DNS, TLS, other)
    ///   and the script did not turn it into `accepted`/`rejected`.
    /// - `success`: any other result of a call that got an HTTP answer (`rate_limited`
    ///   included: the target is up, and `retry_after` already spaces the next tries).
    /// - `neutral`: the call made no request (e.g. `prepare` rejected the lead) or made
    ///   none that reached the network.
    public init(result: CallResult) {
        let outcome = result.outcome
        if let outcome, outcome.kind == .retry, outcome.reason == .timeout || outcome.reason == .unavailable {
            self = .failure
            return
        }
        guard let last = result.exchanges.last else {
            self = .neutral
            return
        }
        let answered = outcome?.kind == .accepted || outcome?.kind == .rejected
        switch last.response.failure {
        case .timeout?, .connect?, .dns?, .tls?, .other?:
            self = answered ? .success : .failure
        case .invalidRequest?, .egressRefused?:
            self = result.exchanges.contains { $0.response.failure == nil } ? .success : .neutral
        case .responseTooLarge?, nil:
            self = .success
        }
    }
}
