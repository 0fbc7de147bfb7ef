import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP server that plays a script per accepted connection, for the wire cases
/// a well-behaved server never produces: answering and then dropping a kept-alive
/// connection, closing without an answer. Each connection's script gets the blocking
/// socket; one thread per connection.
final class ScriptedServer: Sendable {
    typealias Script = @Sendable (ScriptedSocket) -> Void

    private let listener: Int32
    let port: Int
    private let scripts: [Script]
    private let accepted = Atomic<Int>(0)

    /// Connection number i runs `scripts[i]`; later connections are closed at once.
    init(_ scripts: [Script]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        self.scripts = scripts
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var connectionsAccepted: Int { accepted.load(ordering: .relaxed) }

    func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let index = accepted.add(1, ordering: .relaxed).newValue - 1
            guard index < scripts.count else {
                close(client)
                continue
            }
            let script = scripts[index]
            Thread.detachNewThread {
                script(ScriptedSocket(fd: client))
                close(client)
            }
        }
    }
}

/// The server side of one scripted connection.
struct ScriptedSocket: Sendable {
    let fd: Int32

    /// Reads until a request head (and a Content-Length body) is in; false on end of stream.
    @discardableResult
    func readRequest() -> Bool {
        var pending: [UInt8] = []
        return nextRequest(&pending) != nil
    }

    /// The bytes of the next request (head and `Content-Length` body, the first such header
    /// counting, as a server that trusts the client's framing reads it), from `pending` and
    /// the socket; what follows it stays in `pending`. Nil on end of stream.
    func nextRequest(_ pending: inout [UInt8]) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = pending.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound {
                let head = String(decoding: pending[..<end], as: UTF8.self).lowercased()
                let length =
                    head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                if pending.count >= end + length {
                    let request = Array(pending[..<(end + length)])
                    pending.removeFirst(end + length)
                    return request
                }
            }
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            pending += chunk[0..<n]
        }
    }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// An answer with a body and `Content-Length`, the connection kept alive.
    func answer(_ body: String) {
        write("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }
}
