/// Performs wire requests for the runtime. Implementations: `LiveTransport` (libcurl,
/// real network) and `ReplayTransport` (fixtures). A transport never throws: every failure
/// is an `HTTPResponse` with `failure` set, so a script can decide what it means.
public protocol HTTPTransport: Sendable {
    func perform(_ request: HTTPRequest) async -> HTTPResponse
}
