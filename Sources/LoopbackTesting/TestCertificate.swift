import COpenSSL
import COpenSSLHost

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway self-signed certificate and its key, made at run time for TLS tests.
///
/// The key is EC P-256; the X.509 v3 certificate is valid from an hour ago until a day from
/// now, names `commonName` as subject and issuer, lists `dnsNames` and `ipAddresses` as
/// subjectAltName entries and says `CA:TRUE`, so a client can take the certificate itself as
/// its only trust anchor. With both lists empty the certificate has no subjectAltName at all,
/// and only its subject CN names a host (which a verifying client must not accept).
///
/// ```swift
/// let certificate = try TestCertificate.make()          // CN=localhost, DNS:localhost, IP:127.0.0.1
/// let server = LoopbackTLSServer(certificate: certificate) { _ in LoopbackResponse(text: "ok") }
/// let caFile = try certificate.writeCertificate()        // for a client's CA-file option
/// let cnOnly = try TestCertificate.make(dnsNames: [], ipAddresses: [])   // no subjectAltName
/// ```
public struct TestCertificate: Sendable {
    /// The certificate, PEM (`-----BEGIN CERTIFICATE-----`).
    public let certificatePEM: String
    /// The private key, unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public let privateKeyPEM: String

    /// Generates a new key and a self-signed certificate for it.
    public static func make(
        commonName: String = "localhost",
        dnsNames: [String] = ["localhost"],
        ipAddresses: [String] = ["127.0.0.1"]
    ) throws -> TestCertificate {
        let entries = dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }
        guard !entries.contains(where: { $0.contains(",") }) else {
            throw LoopbackTLSError(operation: "subjectAltName", message: "a name contains a comma")
        }
        ERR_clear_error()
        let key = try generateKey()
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { throw LoopbackTLSError.openSSL("X509_new") }
        defer { X509_free(certificate) }

        try check(X509_set_version(certificate, 2), "X509_set_version")
        let serial = UInt64.random(in: 1...(UInt64.max >> 2))
        try check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate), serial), "serial number")
        guard X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
            X509_gmtime_adj(X509_getm_notAfter(certificate), 24 * 3600) != nil
        else { throw LoopbackTLSError.openSSL("X509_gmtime_adj") }
        try check(X509_set_pubkey(certificate, key), "X509_set_pubkey")

        let name = X509_get_subject_name(certificate)
        try check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0), "subject CN")
        try check(X509_set_issuer_name(certificate, name), "X509_set_issuer_name")

        var extensions = [
            (NID_basic_constraints, "critical,CA:TRUE"),
            (NID_key_usage, "critical,digitalSignature,keyCertSign"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
        ]
        if !entries.isEmpty { extensions.append((NID_subject_alt_name, entries.joined(separator: ","))) }
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, certificate, certificate, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw LoopbackTLSError.openSSL("extension \(value)")
            }
            defer { X509_EXTENSION_free(ext) }
            try check(X509_add_ext(certificate, ext, -1), "X509_add_ext")
        }
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw LoopbackTLSError.openSSL("X509_sign") }

        let certificatePEM = try pem("PEM_write_bio_X509") { PEM_write_bio_X509($0, certificate) }
        let privateKeyPEM = try pem("PEM_write_bio_PrivateKey") { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        return TestCertificate(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM)
    }

    /// Writes `certificatePEM` to a new file in `$TMPDIR` (or /tmp) and returns its path.
    /// The caller may delete it; nothing else does.
    public func writeCertificate() throws -> String {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/loopback-certificate-XXXXXX.pem".utf8CString)
        let fd = mkstemps(&template, 4)
        guard fd >= 0 else { throw LoopbackServerError(call: "mkstemps", code: errno) }
        defer { close(fd) }
        let path = nulTerminatedText(template)
        let bytes = Array(certificatePEM.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let code = errno
                unlink(path)
                throw LoopbackServerError(call: "write \(path)", code: code)
            }
            written += n
        }
        return path
    }

    /// A fresh EC P-256 key.
    private static func generateKey() throws -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw LoopbackTLSError.openSSL("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_keygen_init(context), "EVP_PKEY_keygen_init")
        try check(EVP_PKEY_CTX_set_group_name(context, "P-256"), "EVP_PKEY_CTX_set_group_name")
        var key: OpaquePointer?
        try check(EVP_PKEY_generate(context, &key), "EVP_PKEY_generate")
        guard let key else { throw LoopbackTLSError.openSSL("EVP_PKEY_generate") }
        return key
    }

    /// What `write` puts into a memory BIO, as text.
    private static func pem(_ operation: String, _ write: (OpaquePointer) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw LoopbackTLSError.openSSL("BIO_new") }
        defer { BIO_free(bio) }
        try check(write(bio), operation)
        var bytes = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let n = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
        guard n == bytes.count else { throw LoopbackTLSError.openSSL("BIO_read") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Throws with OpenSSL's error text unless `result` is 1 (OpenSSL's success).
    private static func check(_ result: Int32, _ operation: String) throws {
        guard result == 1 else { throw LoopbackTLSError.openSSL(operation) }
    }
}

/// A TLS setup step that failed (making a `TestCertificate`, or `LoopbackTLSServer.start()`),
/// with OpenSSL's error text when it gave one.
public struct LoopbackTLSError: Error, CustomStringConvertible {
    /// The step or OpenSSL call that failed.
    public let operation: String
    /// OpenSSL's text for the oldest queued error, or a description of the problem.
    public let message: String

    public var description: String { message.isEmpty ? "\(operation) failed" : "\(operation): \(message)" }

    /// Takes the oldest error off this thread's OpenSSL error queue and clears the queue.
    static func openSSL(_ operation: String) -> LoopbackTLSError {
        var buffer = [CChar](repeating: 0, count: 256)
        copenssl_take_error(&buffer, buffer.count)
        return LoopbackTLSError(operation: operation, message: nulTerminatedText(buffer))
    }
}

/// The text of a NUL-terminated C character buffer.
func nulTerminatedText(_ characters: [CChar]) -> String {
    String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
