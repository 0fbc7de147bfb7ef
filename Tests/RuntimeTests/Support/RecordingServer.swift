import Synchronization

/// A loopback HTTP/1.1 server that keeps the exact bytes of every request it receives and
/// answers each with `200 ok`, for tests of what a client puts on the wire.
///
/// It reads requests the way a server that trusts the client's framing does (the first
/// `Content-Length` counts; no chunked bodies): bytes a request's framing leaves over are
/// read as the next request, so a smuggled request shows up as one more entry of `requests`.
final class RecordingServer: Sendable {
    private let server: ScriptedServer
    private let log: RequestLog

    /// Serves up to `connections` connections; later ones are closed at once.
    init(connections: Int = 16) throws {
        let log = RequestLog()
        let script: ScriptedServer.Script = { socket in
            var pending: [UInt8] = []
            while let request = socket.nextRequest(&pending) {
                log.requests.withLock { $0.append(request) }
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            }
        }
        server = try ScriptedServer(Array(repeating: script, count: connections))
        self.log = log
    }

    var port: Int { server.port }
    var connectionsAccepted: Int { server.connectionsAccepted }

    func url(_ path: String = "/") -> String { server.url(path) }

    /// Every request received so far, as text (bytes that are not UTF-8 show as U+FFFD).
    var requests: [String] { log.requests.withLock { $0.map { String(decoding: $0, as: UTF8.self) } } }

    func stop() { server.stop() }
}

private final class RequestLog: Sendable {
    let requests = Mutex<[[UInt8]]>([])
}
