extension HTTPRequest {
    /// What is wrong with the request as a wire request (scheme, spaces or control bytes in
    /// the URL, method or header names outside RFC 9110's token bytes, line breaks in a
    /// header value), or nil when both transports may send it.
    func wireProblem() -> String? {
        let bytes = url.utf8
        guard bytes.starts(withASCIIIgnoringCase: "http://") || bytes.starts(withASCIIIgnoringCase: "https://") else {
            return "only http:// and https:// URLs are allowed: \(url.prefix(80))"
        }
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return "URL contains spaces or control characters" }
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            return "invalid method \(method.debugDescription)"
        }
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                return "invalid header name \(name.debugDescription)"
            }
            if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
                return "header \(name) has a line break in its value"
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
