import CCurl

extension TransportFailure {
    /// The failure a script sees for a libcurl result code other than `CURLE_OK`. URLs of
    /// other schemes are refused before libcurl sees them, so `CURLE_UNSUPPORTED_PROTOCOL`
    /// comes from an answer (a status line libcurl refuses): `other`.
    init(curlCode code: CURLcode) {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            self = .timeout
        case CURLE_COULDNT_CONNECT:
            self = .connect
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .dns
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            self = .tls
        case CURLE_URL_MALFORMAT:
            self = .invalidRequest
        case CURLE_FILESIZE_EXCEEDED:
            self = .responseTooLarge
        default:
            self = .other
        }
    }
}

/// libcurl's description of a result code, e.g. "Timeout was reached".
func curlDescription(_ code: CURLcode) -> String {
    guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
    return String(cString: text)
}
