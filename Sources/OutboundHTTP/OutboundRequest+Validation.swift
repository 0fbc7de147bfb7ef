extension OutboundRequest {
    /// What is wrong with the request as a wire request, or nil when both transports may
    /// send it. The one rule both engines apply before a byte is sent: an `http(s)` URL of
    /// printable ASCII (no spaces, control bytes or bytes outside ASCII), a method and
    /// header names of RFC 9110's token bytes, no line break in a header value, and none
    /// of the headers that frame the request or manage the connection (they are the
    /// transport's: `Content-Length`, `Transfer-Encoding`, `Connection`, `Keep-Alive`,
    /// `Proxy-Connection`, `TE`, `Upgrade`), and at most one `Host`.
    package func wireProblem() -> String? {
        let bytes = url.utf8
        guard bytes.starts(withASCIIIgnoringCase: "http://") || bytes.starts(withASCIIIgnoringCase: "https://") else {
            return "only http:// and https:// URLs are allowed: \(url.prefix(80))"
        }
        if let odd = bytes.first(where: { $0 <= 0x20 || $0 >= 0x7F }) {
            return odd >= 0x80
                ? "URL contains bytes outside ASCII (percent-encode them, or pass the values in query)"
                : "URL contains spaces or control characters"
        }
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            return "invalid method \(method.debugDescription)"
        }
        var sawHost = false
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                return "invalid header name \(name.debugDescription)"
            }
            if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
                return "header \(name) has a line break in its value"
            }
            if isTransportHeader(name) { return "header \(name) is set by the transport, not by the script" }
            if name.equalsASCIIIgnoringCase("host") {
                if sawHost { return "header Host is set twice" }
                sawHost = true
            }
        }
        return nil
    }

    /// Whether the request carries a body on the wire: always for POST, PUT and PATCH
    /// (possibly empty, with `Content-Length: 0`), otherwise only when it has bytes.
    var sendsBody: Bool {
        switch method {
        case "POST", "PUT", "PATCH": true
        default: !body.isEmpty
        }
    }
}

/// The headers that say where a request ends or what becomes of its connection: only the
/// transport sets them. Compared by length first, so most names cost one comparison.
private func isTransportHeader(_ name: String) -> Bool {
    switch name.utf8.count {
    case 2: name.equalsASCIIIgnoringCase("te")
    case 7: name.equalsASCIIIgnoringCase("upgrade")
    case 10: name.equalsASCIIIgnoringCase("connection") || name.equalsASCIIIgnoringCase("keep-alive")
    case 14: name.equalsASCIIIgnoringCase("content-length")
    case 16: name.equalsASCIIIgnoringCase("proxy-connection")
    case 17: name.equalsASCIIIgnoringCase("transfer-encoding")
    default: false
    }
}
