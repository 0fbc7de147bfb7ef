/// The real network transport, on one dedicated I/O thread: LeadRelay's own HTTP/1.1
/// client over epoll with TLS through OpenSSL (`Engine.native`, the default), or libcurl's
/// multi interface (`Engine.curl`, and always for proxies and HTTP/2). Both behave the same
/// for a script: the same headers on the wire, the same `TransportFailure`s.
///
/// Connections are kept alive and reused across requests (per host, up to
/// `Configuration.maxConnectionsPerHost`); redirects are never followed, so scripts see
/// the 3xx; only `http://` and `https://` URLs are accepted. A request's headers go out
/// as given, with `Host`, `Content-Length` and a `User-Agent` the request does not set
/// added, and nothing else (no `Accept`, no `Expect: 100-continue`). Framing headers
/// (`Content-Length`, `Transfer-Encoding`, `Connection`, ...) and a second `Host` are the
/// transport's: a request that sets them fails with `invalid_request`.
///
/// ```swift
/// let transport = LiveTransport()
/// let response = await transport.perform(OutboundRequest(method: "GET", url: "https://api.example.com/ping"))
/// transport.shutdown()
/// ```
public final class LiveTransport: HTTPTransport {
    public let configuration: Configuration
    private let loop: CurlMultiLoop?
    private let native: NativeLoop?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        if configuration.effectiveEngine == .native {
            native = NativeLoop(configuration: configuration)
            native?.start()
            loop = nil
        } else {
            loop = CurlMultiLoop(configuration: configuration)
            loop?.start()
            native = nil
        }
    }

    deinit {
        shutdown()
    }

    public func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    /// Starts `request` and calls `completion` exactly once with its response. The
    /// completion runs on the transport's I/O thread (or at once on the caller's thread
    /// after `shutdown()`): keep it short and never block in it.
    public func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        guard let native else {
            loop?.submit(PendingTransfer(request: request, completion: completion))
            return
        }
        switch NativeExchange.make(request, userAgent: configuration.userAgent, completion: completion) {
        case .success(let exchange): native.submit(exchange)
        case .failure(let problem): completion(.failed(.invalidRequest, detail: problem.reason))
        }
    }

    /// Stops the I/O thread. Queued and in-flight requests complete with
    /// `.failed(.other, detail: "transport shut down")`, as does every later request.
    /// Called by `deinit`; safe to call more than once.
    public func shutdown() {
        loop?.shutdown()
        native?.shutdown()
    }
}
