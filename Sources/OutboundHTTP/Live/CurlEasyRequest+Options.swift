import CCurl
import COpenSSL
import COpenSSLHost

private let allowedProtocols: StaticString = "http,https"
private let emptyString: StaticString = ""
private let dropExpect: StaticString = "Expect:"
private let dropAccept: StaticString = "Accept:"
private let dropContentType: StaticString = "Content-Type:"

extension CurlEasyRequest {
    /// Sets every option for one request on a freshly reset handle. Returns a description
    /// of what is wrong with the request when it cannot be sent as given.
    func configure(for request: OutboundRequest, with configuration: LiveTransport.Configuration) -> String? {
        if let problem = request.wireProblem() { return problem }
        let h = handle
        maxResponseBytes = request.maxResponseBytes
        headerLines = CurlHeaderLines(limits: configuration.responseLimits)
        egressPolicy = configuration.egressPolicy
        ccurl_easy_setopt_ptr(h, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_easy_setopt_ptr(h, CURLOPT_PRIVATE, userdata)
        ccurl_easy_setopt_opensocket_fn(h, curlOpenAllowedSocket)
        ccurl_easy_setopt_ptr(h, CURLOPT_OPENSOCKETDATA, userdata)
        ccurl_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        ccurl_easy_setopt_ptr(h, CURLOPT_PROTOCOLS_STR, allowedProtocols.utf8Start)
        ccurl_easy_setopt_ptr(h, CURLOPT_REDIR_PROTOCOLS_STR, allowedProtocols.utf8Start)
        ccurl_easy_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
        ccurl_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout))
        ccurl_easy_setopt_off(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(request.maxResponseBytes, 0)))
        let version = configuration.httpVersion == .http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1
        ccurl_easy_setopt_long(h, CURLOPT_HTTP_VERSION, Int(version))
        if let file = configuration.trustedCertificatesFile {
            file.withCString { _ = ccurl_easy_setopt_ptr(h, CURLOPT_CAINFO, $0) }
        }
        if configuration.verifyTLS {
            ccurl_easy_setopt_ssl_ctx_fn(h, curlRequireSubjectAltName)
        } else {
            ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        // An empty proxy string also stops libcurl from reading http_proxy & co.
        if let proxy = configuration.proxy {
            proxy.withCString { _ = ccurl_easy_setopt_ptr(h, CURLOPT_PROXY, $0) }
        } else {
            ccurl_easy_setopt_ptr(h, CURLOPT_PROXY, emptyString.utf8Start)
        }
        configuration.userAgent.withCString { _ = ccurl_easy_setopt_ptr(h, CURLOPT_USERAGENT, $0) }
        ccurl_easy_setopt_write_fn(h, curlWriteBody)
        ccurl_easy_setopt_ptr(h, CURLOPT_WRITEDATA, userdata)
        ccurl_easy_setopt_header_fn(h, curlCollectHeader)
        ccurl_easy_setopt_ptr(h, CURLOPT_HEADERDATA, userdata)
        request.url.withCString { _ = ccurl_easy_setopt_ptr(h, CURLOPT_URL, $0) }

        let sendsBody = request.sendsBody
        if request.method == "HEAD" && request.body.isEmpty {
            ccurl_easy_setopt_long(h, CURLOPT_NOBODY, 1)
        } else if sendsBody {
            ccurl_easy_setopt_ptr(h, CURLOPT_POSTFIELDS, keepBody(request.body))
            ccurl_easy_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
        }
        if request.method != "GET" && request.method != "HEAD" && !(sendsBody && request.method == "POST") {
            request.method.withCString { _ = ccurl_easy_setopt_ptr(h, CURLOPT_CUSTOMREQUEST, $0) }
        }

        var hasAccept = false
        var hasExpect = false
        var hasContentType = false
        for (name, value) in request.headers {
            if name.equalsASCIIIgnoringCase("accept") { hasAccept = true }
            if name.equalsASCIIIgnoringCase("expect") { hasExpect = true }
            if name.equalsASCIIIgnoringCase("content-type") { hasContentType = true }
            guard appendHeader(name: name, value: value) else { return "out of memory building headers" }
        }
        // "Name:" with no value removes a header libcurl would add on its own.
        if !hasAccept { _ = appendRawHeader(UnsafeRawPointer(dropAccept.utf8Start).assumingMemoryBound(to: CChar.self)) }
        if !hasExpect { _ = appendRawHeader(UnsafeRawPointer(dropExpect.utf8Start).assumingMemoryBound(to: CChar.self)) }
        if sendsBody && !hasContentType {
            _ = appendRawHeader(UnsafeRawPointer(dropContentType.utf8Start).assumingMemoryBound(to: CChar.self))
        }
        ccurl_easy_setopt_ptr(h, CURLOPT_HTTPHEADER, headerList)
        return nil
    }
}

/// CURLOPT_SSL_CTX_FUNCTION: a certificate without a DNS or IP subjectAltName fails
/// verification, where libcurl would match the subject's CN (as the native engine refuses it).
private let curlRequireSubjectAltName:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafeMutableRawPointer?,
        UnsafeMutableRawPointer?
    ) -> CURLcode = { _, context, _ in
        if let context { copenssl_ctx_require_subject_alt_name(OpaquePointer(context)) }
        return CURLE_OK
    }

private func milliseconds(_ seconds: Double) -> Int {
    guard seconds.isFinite, seconds > 0 else { return 1 }
    return max(1, Int(min(seconds, 86_400 * 30) * 1000))
}
