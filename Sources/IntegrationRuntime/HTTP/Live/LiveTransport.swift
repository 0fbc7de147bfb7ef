/// The real network transport: libcurl's multi interface on one dedicated I/O thread.
///
/// Connections are kept alive and reused across requests (per host, up to
/// `Configuration.maxConnectionsPerHost`); redirects are never followed, so scripts see
/// the 3xx; only `http://` and `https://` URLs are accepted. A request's headers go out
/// as given: libcurl adds `Host`, `Content-Length` and a `User-Agent` the request does
/// not set, and nothing else (no `Accept`, no `Expect: 100-continue`).
///
/// ```swift
/// let transport = LiveTransport()
/// let response = await transport.perform(HTTPRequest(method: "GET", url: "https://api.example.com/ping"))
/// transport.shutdown()
/// ```
public final class LiveTransport: HTTPTransport {
    public let configuration: Configuration
    private let loop: CurlMultiLoop

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        loop = CurlMultiLoop(configuration: configuration)
        loop.start()
    }

    deinit {
        loop.shutdown()
    }

    public func perform(_ request: HTTPRequest) async -> HTTPResponse {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    /// Starts `request` and calls `completion` exactly once with its response. The
    /// completion runs on the transport's I/O thread (or at once on the caller's thread
    /// after `shutdown()`): keep it short and never block in it.
    public func perform(_ request: HTTPRequest, completion: @escaping @Sendable (HTTPResponse) -> Void) {
        loop.submit(PendingTransfer(request: request, completion: completion))
    }

    /// Stops the I/O thread. Queued and in-flight requests complete with
    /// `.failed(.other, detail: "transport shut down")`, as does every later request.
    /// Called by `deinit`; safe to call more than once.
    public func shutdown() {
        loop.shutdown()
    }
}
