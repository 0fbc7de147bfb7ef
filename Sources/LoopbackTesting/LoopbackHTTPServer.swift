import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests and benchmarks of `LiveTransport`.
///
/// One epoll event loop on one thread serves every connection: keep-alive (HTTP/1.1
/// default, `Connection: close` honoured), `Content-Length` request bodies, responses
/// delayed without blocking other connections. It only ever binds the loopback address,
/// on an ephemeral port.
///
/// ```swift
/// let server = LoopbackHTTPServer { request in
///     LoopbackResponse(status: 200, headers: [("Content-Type", "application/json")], text: #"{"ok":true}"#)
/// }
/// try server.start()
/// defer { server.stop() }
/// let url = server.url("/ping")   // http://127.0.0.1:<port>/ping
/// ```
///
/// The handler runs on the server thread: it must be quick and must not block.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (LoopbackRequest) -> LoopbackResponse

    private let handler: Handler
    private let state = Mutex<LoopbackEventLoop?>(nil)
    private let boundPort = Atomic<Int>(0)
    let statistics = LoopbackStatistics()

    public init(handler: @escaping Handler) {
        self.handler = handler
    }

    deinit { stop() }

    /// The port bound by `start()`, 0 before.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// `http://127.0.0.1:<port>` followed by `path`.
    public func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Connections accepted since `start()`.
    public var connectionsAccepted: Int { statistics.connectionsAccepted.load(ordering: .relaxed) }

    /// Requests answered (or, for a delayed response, scheduled) since `start()`.
    public var requestsServed: Int { statistics.requestsServed.load(ordering: .relaxed) }

    /// CPU seconds the server thread has used, to subtract it from in-process measurements.
    public var threadCPUSeconds: Double { state.withLock { $0?.threadCPUSeconds ?? 0 } }

    /// Binds 127.0.0.1 on an ephemeral port and starts the event loop thread.
    public func start() throws {
        try state.withLock { loop in
            guard loop == nil else { return }
            let started = try LoopbackEventLoop(handler: handler, statistics: statistics)
            started.start()
            boundPort.store(started.port, ordering: .releasing)
            loop = started
        }
    }

    /// Stops the event loop, closes every socket and joins the thread.
    public func stop() {
        let loop = state.withLock { loop -> LoopbackEventLoop? in
            defer { loop = nil }
            return loop
        }
        loop?.stop()
    }
}

/// Counters shared between the server threads and readers on other threads.
final class LoopbackStatistics: Sendable {
    let connectionsAccepted = Atomic<Int>(0)
    let requestsServed = Atomic<Int>(0)
    /// TLS handshakes that succeeded (`LoopbackTLSServer` only).
    let handshakesCompleted = Atomic<Int>(0)
    /// Of those, the ones that resumed an earlier TLS session.
    let handshakesResumed = Atomic<Int>(0)
}

/// Why `LoopbackHTTPServer.start()` failed: the system call and its errno.
public struct LoopbackServerError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}
