import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

extension LoopbackTLSListener {
    /// One connection, on its own thread: the handshake, then requests one after another
    /// until the client or a response closes the connection, an error, or `stop()`.
    /// A failed handshake just closes the socket.
    func serve(_ fd: Int32) {
        defer {
            ERR_clear_error()
            release(fd)
        }
        guard let ssl = SSL_new(context) else { return }
        defer { SSL_free(ssl) }
        guard SSL_set_fd(ssl, fd) == 1, SSL_accept(ssl) == 1 else { return }
        statistics.handshakesCompleted.add(1, ordering: .relaxed)
        if SSL_session_reused(ssl) == 1 { statistics.handshakesResumed.add(1, ordering: .relaxed) }
        if exchangeRequests(ssl, connection: LoopbackConnection(fd: fd)) {
            _ = SSL_shutdown(ssl)  // close_notify, which also ends a close-delimited body
        }
    }

    /// Reads, answers and writes requests in order; true when the connection ended cleanly
    /// (so a close_notify may be sent), false after a TLS or socket error.
    private func exchangeRequests(_ ssl: OpaquePointer, connection: LoopbackConnection) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !stopping.load(ordering: .acquiring) {
            switch connection.nextRequest() {
            case nil:
                let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
                guard n > 0 else { return SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN }
                connection.input.append(contentsOf: buffer[0..<Int(n)])
            case .malformed:
                var output: [UInt8] = []
                LoopbackResponse(status: 400, text: "malformed request\n").write(to: &output, closing: true)
                return writeAll(ssl, output)
            case .request(let request, let close):
                connection.compactInput()
                let response = handler(request)
                statistics.requestsServed.add(1, ordering: .relaxed)
                if response.delay > 0 { pause(seconds: response.delay) }
                var output: [UInt8] = []
                response.write(to: &output, closing: close)
                guard writeAll(ssl, output) else { return false }
                if response.skipsCloseNotify { return false }
                if close || response.closeDelimited { return true }
            }
        }
        return false
    }

    /// SSL_write until every byte has gone out; false on error.
    private func writeAll(_ ssl: OpaquePointer, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress! + sent, Int32($0.count - sent)) }
            guard n > 0 else { return false }
            sent += Int(n)
        }
        return true
    }

    /// Sleeps for a response's delay, in short steps so `stop()` need not wait it out.
    private func pause(seconds: Double) {
        let deadline = monotonicNanoseconds() + UInt64(seconds * 1e9)
        while !stopping.load(ordering: .acquiring) {
            let now = monotonicNanoseconds()
            guard now < deadline else { return }
            usleep(UInt32(min(deadline - now, 20_000_000) / 1000))
        }
    }
}
