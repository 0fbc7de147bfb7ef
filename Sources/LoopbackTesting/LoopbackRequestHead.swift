/// The parsed request line and headers of one HTTP/1.1 request.
struct LoopbackRequestHead {
    var method: String
    var path: String
    var query: String
    var headers: [(name: String, value: String)]
    var contentLength: Int
    /// The client asked to close (`Connection: close`, or HTTP/1.0 without keep-alive).
    var closeRequested: Bool

    /// Parses `bytes` (the head without its final blank line); nil when malformed.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var lines: [Range<Int>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") {
                let end = i > start && bytes[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
                lines.append(start..<end)
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        guard let requestLine = lines.first else { return nil }
        let parts = bytes[requestLine].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        guard parts.count == 3 else { return nil }
        method = String(decoding: parts[0], as: UTF8.self)
        let target = parts[1]
        if let mark = target.firstIndex(of: UInt8(ascii: "?")) {
            path = String(decoding: target[target.startIndex..<mark], as: UTF8.self)
            query = String(decoding: target[(mark + 1)...], as: UTF8.self)
        } else {
            path = String(decoding: target, as: UTF8.self)
            query = ""
        }
        let isHTTP10 = parts[2].elementsEqual("HTTP/1.0".utf8)
        headers = []
        contentLength = 0
        var connection = ""
        for line in lines.dropFirst() where !line.isEmpty {
            let field = bytes[line]
            guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let name = String(decoding: field[field.startIndex..<colon], as: UTF8.self)
            var valueStart = colon + 1
            var valueEnd = field.endIndex
            while valueStart < valueEnd, bytes[valueStart] == UInt8(ascii: " ") || bytes[valueStart] == UInt8(ascii: "\t") {
                valueStart += 1
            }
            while valueEnd > valueStart, bytes[valueEnd - 1] == UInt8(ascii: " ") || bytes[valueEnd - 1] == UInt8(ascii: "\t") {
                valueEnd -= 1
            }
            let value = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
            headers.append((name, value))
            switch name.lowercased() {
            case "content-length":
                guard let length = Int(value), length >= 0 else { return nil }
                contentLength = length
            case "connection":
                connection = value.lowercased()
            case "transfer-encoding":
                return nil  // chunked request bodies are not supported
            default:
                break
            }
        }
        closeRequested = connection.contains("close") || (isHTTP10 && !connection.contains("keep-alive"))
    }
}
