/// Performs wire requests for the runtime. Implementations: `LiveTransport` (libcurl,
/// real network) and `ReplayTransport` (fixtures). A transport never throws: every failure
/// is an `OutboundResponse` with `failure` set, so a script can decide what it means.
public protocol HTTPTransport: Sendable {
    func perform(_ request: OutboundRequest) async -> OutboundResponse

    /// The same, reporting through `completion` (called exactly once, on any thread; it
    /// must return quickly). The pool's workers use this form: it needs no task per request.
    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void)
}

extension HTTPTransport {
    /// Default: runs the async form in a task.
    public func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        Task { completion(await perform(request)) }
    }
}
