import COpenSSL

/// One connection's TLS state over a non-blocking socket. Every operation returns at once:
/// `wantRead`/`wantWrite` mean "call again when the socket is readable/writable".
final class TLSSession {
    enum Step: Equatable {
        case done(Int)
        case wantRead
        case wantWrite
        /// The peer closed the TLS stream (or the socket) cleanly.
        case closed
        case failed(String)
    }

    private let ssl: OpaquePointer
    /// Where new sessions for `origin` go (read by `tlsNewSession`).
    private(set) var sessionCache: TLSSessionCache?
    private(set) var origin: WireTarget.Origin?

    /// A client session for `origin` on socket `fd`: SNI with the host name (not for IP
    /// literals), the certificate checked against the name or address when the context
    /// verifies (its subjectAltName only, never the subject's CN), and the origin's last
    /// session offered for resumption.
    init?(context: TLSContext, fd: Int32, origin: WireTarget.Origin, isIPAddress: Bool, sessions: TLSSessionCache) {
        guard let ssl = SSL_new(context.context) else { return nil }
        self.ssl = ssl
        self.origin = origin
        sessionCache = sessions
        let host = origin.host
        copenssl_set_owner(ssl, Unmanaged.passUnretained(self).toOpaque())
        SSL_set_fd(ssl, fd)
        SSL_set_connect_state(ssl)
        if !isIPAddress { _ = copenssl_set_server_name(ssl, host) }
        if let resumable = sessions.session(for: origin) { SSL_set_session(ssl, resumable) }
        if context.verifies {
            // Only subjectAltName names the host: no fallback to the subject's CN.
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NEVER_CHECK_SUBJECT))
            if isIPAddress {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
            } else {
                SSL_set1_host(ssl, host)
            }
        }
    }

    deinit {
        copenssl_set_owner(ssl, nil)
        SSL_free(ssl)
    }

    /// Ends the stream with a close_notify (the socket's owner closes the socket). Without
    /// it OpenSSL would take the connection for broken and make its session unusable for
    /// resumption. The I/O thread blocks SIGPIPE, so writing to a closed socket is harmless.
    func closeCleanly() {
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Whether the handshake resumed an earlier session.
    var resumed: Bool { SSL_session_reused(ssl) == 1 }

    func handshake() -> Step {
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return .done(0) }
        return classify(rc, during: "handshake")
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> Step {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .done(0) }
        let rc = SSL_write(ssl, base, Int32(min(bytes.count, Int(Int32.max))))
        if rc > 0 { return .done(Int(rc)) }
        return classify(rc, during: "write")
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Step {
        let rc = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
        if rc > 0 { return .done(Int(rc)) }
        return classify(rc, during: "read")
    }

    /// Whether OpenSSL holds bytes read from the socket and not handed out yet, decrypted or
    /// not (no socket event will announce them).
    var hasBufferedBytes: Bool { SSL_has_pending(ssl) == 1 }

    private func classify(_ rc: Int32, during operation: String) -> Step {
        let error = SSL_get_error(ssl, rc)
        switch error {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            ERR_clear_error()
            return .closed
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
            ERR_clear_error()
            return .closed
        default:
            var detail = takeOpenSSLError()
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK, let text = X509_verify_cert_error_string(verify) {
                detail = "certificate verification failed: \(String(cString: text))"
            }
            return .failed("TLS \(operation) failed" + (detail.isEmpty ? "" : ": \(detail)"))
        }
    }
}
