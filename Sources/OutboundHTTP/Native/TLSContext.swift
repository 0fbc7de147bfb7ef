import COpenSSL
import COpenSSLHost

/// The OpenSSL client context shared by every TLS connection of one transport: TLS 1.2
/// or later, the system's trusted certificates (or a given file), certificate and host
/// name verification unless turned off.
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    let verifies: Bool

    /// Throws the OpenSSL error when the context or its trust store cannot be set up.
    init(verify: Bool, trustedCertificatesFile: String?) throws(TLSSetupError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSSetupError(step: "SSL_CTX_new") }
        self.context = context
        verifies = verify
        copenssl_ctx_set_partial_writes(context)
        copenssl_ctx_ignore_unexpected_eof(context)
        guard copenssl_ctx_set_min_tls12(context) == 1 else { throw TLSSetupError(step: "the minimum TLS version") }
        if let trustedCertificatesFile {
            guard SSL_CTX_load_verify_locations(context, trustedCertificatesFile, nil) == 1 else {
                throw TLSSetupError(step: "loading trusted certificates from \(trustedCertificatesFile)")
            }
        } else if SSL_CTX_set_default_verify_paths(context) != 1 {
            throw TLSSetupError(step: "loading the system's trusted certificates")
        }
        SSL_CTX_set_verify(context, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        copenssl_ctx_cache_client_sessions(context, tlsNewSession)
    }

    deinit {
        SSL_CTX_free(context)
    }
}

/// Why `LiveTransport` could not set up TLS; every https request then fails with `tls`.
struct TLSSetupError: Error, CustomStringConvertible {
    var description: String

    init(step: String) {
        let detail = takeOpenSSLError()
        description = "TLS setup failed at \(step)" + (detail.isEmpty ? "" : ": \(detail)")
    }
}

/// The oldest error on this thread's OpenSSL error queue as text ("" when there is none);
/// clears the queue.
func takeOpenSSLError() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    copenssl_take_error(&buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
