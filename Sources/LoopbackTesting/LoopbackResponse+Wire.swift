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
        if chunked {
            output.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        } else if !hasLength && !closeDelimited {
            output.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8)
        }
        if closing { output.append(contentsOf: "Connection: close\r\n".utf8) }
        output.append(contentsOf: "\r\n".utf8)
        if chunked {
            writeChunkedBody(to: &output)
        } else {
            output.append(contentsOf: body)
        }
    }

    /// The body as chunks of at most `chunkSize` bytes, then the last chunk (`0`) and the
    /// trailer section. The extension, when asked for, goes on the first size line.
    private func writeChunkedBody(to output: inout [UInt8]) {
        var extensionPending = chunkExtension
        func sizeLine(_ count: Int) {
            output.append(contentsOf: String(count, radix: 16).utf8)
            if extensionPending { output.append(contentsOf: ";ext=1".utf8) }
            extensionPending = false
            output.append(contentsOf: "\r\n".utf8)
        }
        let size = max(1, chunkSize)
        var start = 0
        while start < body.count {
            let end = min(start + size, body.count)
            sizeLine(end - start)
            output.append(contentsOf: body[start..<end])
            output.append(contentsOf: "\r\n".utf8)
            start = end
        }
        sizeLine(0)
        if trailer { output.append(contentsOf: "X-Trailer: yes\r\n".utf8) }
        output.append(contentsOf: "\r\n".utf8)
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
