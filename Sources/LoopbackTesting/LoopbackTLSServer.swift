import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An HTTPS (HTTP/1.1 over TLS 1.2+) server on 127.0.0.1, for tests of HTTPS clients that
/// must not leave the machine.
///
/// It answers with the same `LoopbackHTTPServer.Handler` and `LoopbackResponse` as
/// `LoopbackHTTPServer`, presenting a `TestCertificate`. Simplicity over speed: one accept
/// thread and one blocking thread per connection, which does the handshake and then serves
/// requests in order (keep-alive; `Connection: close` and `closeDelimited` end the
/// connection; `Content-Length` request bodies). A `delay` sleeps that connection's thread
/// only. A failed handshake (say the client rejects the certificate) closes that connection
/// and nothing else. It only binds the loopback address, on an ephemeral port.
///
/// ```swift
/// let certificate = try TestCertificate.make()
/// let server = LoopbackTLSServer(certificate: certificate) { request in
///     LoopbackResponse(text: "hello \(request.path)")
/// }
/// try server.start()
/// defer { server.stop() }
/// let url = server.url(host: "localhost", path: "/ping")   // https://localhost:<port>/ping
/// let caFile = try certificate.writeCertificate()          // the client's only trust anchor
/// ```
///
/// `start()` sets SIGPIPE to be ignored for the whole process, so a write to a connection
/// the client has closed fails instead of killing the test run.
public final class LoopbackTLSServer: Sendable {
    private let certificate: TestCertificate
    private let handler: LoopbackHTTPServer.Handler
    private let state = Mutex<LoopbackTLSListener?>(nil)
    private let boundPort = Atomic<Int>(0)
    private let statistics = LoopbackStatistics()

    public init(certificate: TestCertificate, handler: @escaping LoopbackHTTPServer.Handler) {
        self.certificate = certificate
        self.handler = handler
    }

    deinit { stop() }

    /// The port bound by `start()`, 0 before.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// `https://127.0.0.1:<port>` followed by `path`.
    public func url(_ path: String = "/") -> String { "https://127.0.0.1:\(port)\(path)" }

    /// `https://<host>:<port>` followed by `path`, for clients that check a host name such as
    /// "localhost" (which must resolve to 127.0.0.1 and be in the certificate).
    public func url(host: String, path: String = "/") -> String { "https://\(host):\(port)\(path)" }

    /// TCP connections accepted since `start()`, whether or not their handshake succeeded.
    public var connectionsAccepted: Int { statistics.connectionsAccepted.load(ordering: .relaxed) }

    /// Requests answered since `start()`.
    public var requestsServed: Int { statistics.requestsServed.load(ordering: .relaxed) }

    /// TLS handshakes that succeeded since `start()`.
    public var handshakesCompleted: Int { statistics.handshakesCompleted.load(ordering: .relaxed) }

    /// Handshakes that resumed an earlier session (a ticket) instead of a full handshake.
    public var handshakesResumed: Int { statistics.handshakesResumed.load(ordering: .relaxed) }

    /// Sets up TLS with the certificate, binds 127.0.0.1 on an ephemeral port and starts
    /// accepting. Does nothing when already started.
    public func start() throws {
        signal(SIGPIPE, SIG_IGN)
        try state.withLock { listener in
            guard listener == nil else { return }
            let started = try LoopbackTLSListener(certificate: certificate, handler: handler, statistics: statistics)
            do {
                try started.start()
            } catch {
                started.stop()
                throw error
            }
            boundPort.store(started.port, ordering: .releasing)
            listener = started
        }
    }

    /// Closes the listening socket and every connection, and joins all threads. Safe to call
    /// more than once; `deinit` calls it too.
    public func stop() {
        let listener = state.withLock { listener -> LoopbackTLSListener? in
            defer { listener = nil }
            return listener
        }
        listener?.stop()
    }
}
