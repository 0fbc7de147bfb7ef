extension LoopbackResponse {
    /// Appends the response as HTTP/1.1 bytes to `output`.
    func write(to output: inout [UInt8], closing: Bool) {
        for (status, headers) in interim {
            output.append(contentsOf: "HTTP/1.1 \(status) \(Self.reason(status))\r\n".utf8)
            for (name, value) in headers { output.append(contentsOf: "\(name): \(value)\r\n".utf8) }
            output.append(contentsOf: "\r\n".utf8)
        }
        let closing = closing || closeDelimited
        output.append(contentsOf: "HTTP/1.1 \(status) \(Self.reason(status))\r\n".utf8)
        var hasLength = false
        for (name, value) in headers {
            if name.lowercased() == "content-length" { hasLength = true }
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: ": ".utf8)
            output.append(contentsOf: value.utf8)
            output.append(contentsOf: "\r\n".utf8)
        }
        if !hasLength && !closeDelimited { output.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8) }
        if closing { output.append(contentsOf: "Connection: close\r\n".utf8) }
        output.append(contentsOf: "\r\n".utf8)
        output.append(contentsOf: body)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
