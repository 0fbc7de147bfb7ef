import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback server that answers a request with `head`, then writes `unit` again and
/// again as fast as the client reads, until the client hangs up or `stop()`: a server
/// flooding its client with an answer that never ends.
final class FloodingServer: Sendable {
    private let server: ScriptedServer
    private let state: FloodState

    init(head: String, unit: String) throws {
        let state = FloodState()
        var block: [UInt8] = []
        while block.count < 64 * 1024 { block += Array(unit.utf8) }
        let flood = block
        server = try ScriptedServer([
            { socket in
                // Sends give up after 50 ms so that the loop sees `stop()` even when the client
                // stops reading without hanging up.
                var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
                setsockopt(socket.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                socket.readRequest()
                socket.write(head)
                var offset = 0  // into `flood`: a partial send goes on where it stopped
                while !state.stopping.load(ordering: .acquiring) {
                    let n = flood.withUnsafeBytes { send(socket.fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                    if n > 0 {
                        state.bytesSent.add(n, ordering: .relaxed)
                        offset = (offset + n) % flood.count
                    } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        ])
        self.state = state
    }

    /// Bytes of the flood written to the socket so far (after `head`).
    var bytesSent: Int { state.bytesSent.load(ordering: .relaxed) }

    func url(_ path: String = "/") -> String { server.url(path) }

    /// Ends the flood (the connection closes) and stops accepting.
    func stop() {
        state.stopping.store(true, ordering: .releasing)
        server.stop()
    }
}

private final class FloodState: Sendable {
    let stopping = Atomic<Bool>(false)
    let bytesSent = Atomic<Int>(0)
}
