/// Reads one HTTP/1.1 response from the bytes of a connection as they arrive: the status
/// line and headers (skipping interim 1xx responses), then a body framed by
/// `Content-Length`, `Transfer-Encoding: chunked`, or the end of the connection. Heads,
/// interim answers, chunk extensions and trailers are capped by `ResponseLimits`. A value
/// type: the connection owns one per exchange and feeds it.
struct ResponseParser {
    enum Progress: Equatable {
        case needMore
        /// The response is whole; `consumed` counts the bytes of the last feed it used.
        case complete
        case failed(TransportFailure, String)
    }

    private enum Stage {
        case head
        case body(remaining: Int)
        case untilClose
        case chunkSize(value: Int, digits: Int, inExtension: Bool)
        case chunkData(remaining: Int)
        case chunkEnd(sawCR: Bool)
        /// Trailer fields, up to an empty line; `lineIsEmpty` while the current line has
        /// nothing but a CR.
        case trailer(lineIsEmpty: Bool)
        case done
    }

    private let expectsNoBody: Bool
    private let maxBodyBytes: Int
    private var budget: ResponseBudget
    private var stage = Stage.head
    private var head: [UInt8] = []
    /// 1 right after a line feed (a CR does not change it), 0 inside a line.
    private var lineEnds = 0
    private(set) var status = 0
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body: [UInt8] = []
    /// Whether the connection may carry another request once this response is complete.
    private(set) var keepAlive = true

    /// `expectsNoBody` for a HEAD request, whose response has headers only.
    init(expectsNoBody: Bool, maxBodyBytes: Int, limits: ResponseLimits = ResponseLimits()) {
        self.expectsNoBody = expectsNoBody
        self.maxBodyBytes = max(0, maxBodyBytes)
        budget = ResponseBudget(limits)
    }

    /// Whether nothing of the response has arrived yet (a reused connection that closes
    /// at this point may be retried on a fresh one).
    var isUntouched: Bool {
        if case .head = stage { return head.isEmpty && status == 0 }
        return false
    }

    /// Feeds received bytes; returns how many it used (the rest belongs to no response)
    /// and where the response stands.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> (consumed: Int, progress: Progress) {
        var offset = 0
        while offset < bytes.count {
            let before = offset
            switch stage {
            case .head:
                let (used, result) = readHead(bytes, from: offset)
                offset += used
                if let result, result != .needMore { return (offset, result) }
            case .body(let remaining):
                let take = min(remaining, bytes.count - offset)
                if let failure = append(bytes, offset, take) { return (offset, failure) }
                offset += take
                stage = remaining == take ? .done : .body(remaining: remaining - take)
            case .untilClose:
                let take = bytes.count - offset
                if let failure = append(bytes, offset, take) { return (offset, failure) }
                offset += take
            case .chunkData(let remaining):
                let take = min(remaining, bytes.count - offset)
                if let failure = append(bytes, offset, take) { return (offset, failure) }
                offset += take
                stage = remaining == take ? .chunkEnd(sawCR: false) : .chunkData(remaining: remaining - take)
            case .chunkSize, .chunkEnd, .trailer:
                if let failure = readChunkFraming(bytes[offset]) { return (offset, failure) }
                offset += 1
            case .done:
                break
            }
            if case .done = stage { return (offset, .complete) }
            if offset == before { break }
        }
        return (offset, .needMore)
    }

    /// The connection ended: complete for a body that runs to the end, else a failure.
    mutating func finishAtEndOfStream() -> Progress {
        switch stage {
        case .untilClose:
            stage = .done
            return .complete
        case .done:
            return .complete
        default:
            return .failed(
                .other,
                isUntouched
                    ? "the server closed the connection without answering"
                    : "the server closed the connection in the middle of the response")
        }
    }

    /// The response, once `feed` returned `.complete`.
    func response(elapsed: Double) -> OutboundResponse {
        OutboundResponse(status: status, headers: headers, body: body, elapsed: elapsed)
    }

    // MARK: Head

    private mutating func readHead(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> (Int, Progress?) {
        var end = -1
        var i = offset
        while i < bytes.count {
            // A line feed right after an empty line ("\n\n" or "\r\n\r\n") ends the head.
            switch bytes[i] {
            case 10:
                if lineEnds > 0 { end = i + 1 } else { lineEnds = 1 }
            case 13:
                break  // a carriage return neither starts nor ends a line here
            default:
                lineEnds = 0
            }
            if end >= 0 { break }
            i += 1
        }
        let used = (end < 0 ? bytes.count : end) - offset
        if let problem = budget.spendHead(used) { return (used, .failed(.other, problem)) }
        head.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + used)]))
        guard end >= 0 else { return (used, .needMore) }
        lineEnds = 0
        if let failure = headComplete() { return (used, failure) }
        return (used, nil)
    }

    private mutating func headComplete() -> Progress? {
        guard let (version, code) = statusLine() else {
            return .failed(
                .other, "the server did not answer with HTTP: \(String(decoding: head.prefix(40), as: UTF8.self).debugDescription)")
        }
        if code >= 100 && code < 200 {
            if code == 101 { return .failed(.other, "the server switched protocols (101), which is not supported") }
            if let problem = budget.countInterimAnswer() { return .failed(.other, problem) }
            head.removeAll(keepingCapacity: true)
            return nil
        }
        if let problem = ResponseFraming.statusProblem(code) { return .failed(.other, problem) }
        status = code
        headers = responseHeaderFields(head)
        head = []
        var contentLength: Int?
        var transferEncoding: String?
        var connection = ""
        for (name, value) in headers {
            if name == "content-length" {
                guard let length = ResponseFraming.contentLength(value), contentLength == nil || contentLength == length else {
                    return .failed(.other, ResponseFraming.invalidContentLength(value))
                }
                contentLength = length
            } else if name == "transfer-encoding" {
                transferEncoding = value
            } else if name == "connection" {
                connection = value.lowercased()
            }
        }
        keepAlive = version >= 1 ? !Self.occurs("close", in: connection) : Self.occurs("keep-alive", in: connection)
        if expectsNoBody || code == 204 || code == 304 {
            stage = .done
        } else if let transferEncoding {
            // Transfer-Encoding frames the body, whatever Content-Length says; an answer with
            // both may be read otherwise by someone else, so its connection is not reused.
            if contentLength != nil { keepAlive = false }
            if ResponseFraming.endsWithChunked(transferEncoding) {
                stage = .chunkSize(value: 0, digits: 0, inExtension: false)
            } else {
                keepAlive = false
                stage = .untilClose
            }
        } else if let contentLength {
            if contentLength > maxBodyBytes { return tooLarge() }
            body.reserveCapacity(contentLength)
            stage = contentLength == 0 ? .done : .body(remaining: contentLength)
        } else {
            keepAlive = false
            stage = .untilClose
        }
        return nil
    }

    /// Whether `token` occurs in `value`: a plain byte search, which allocates nothing.
    /// (`String.contains` resolved to Foundation's here, which bridged the value to an
    /// NSString on every response; the standard library's generic search builds a searcher.)
    private static func occurs(_ token: StaticString, in value: String) -> Bool {
        let needle = UnsafeBufferPointer(start: token.utf8Start, count: token.utf8CodeUnitCount)
        var value = value
        return value.withUTF8 { haystack in
            guard haystack.count >= needle.count else { return false }
            for start in 0...(haystack.count - needle.count) {
                var matched = 0
                while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            return false
        }
    }

    /// `HTTP/1.<minor> <code>`: the minor version and the code.
    private func statusLine() -> (Int, Int)? {
        guard head.count >= 12, head.starts(with: "HTTP/1.".utf8), head[8] == UInt8(ascii: " ") else { return nil }
        let minor = Int(head[7]) - 48
        let digits = head[9..<12]
        guard minor >= 0, minor <= 9, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        guard head.count == 12 || head[12] == UInt8(ascii: " ") || head[12] == 13 || head[12] == 10 else { return nil }
        return (minor, code)
    }

    // MARK: Body

    private mutating func append(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> Progress? {
        guard count > 0 else { return nil }
        if body.count + count > maxBodyBytes { return tooLarge() }
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
        return nil
    }

    private mutating func tooLarge() -> Progress {
        body = []
        return .failed(.responseTooLarge, "the response body is larger than \(maxBodyBytes) bytes")
    }

    /// One byte of chunk framing: a size line (hex, optional `;extension`), the CRLF after
    /// a chunk's data, or a trailer line.
    private mutating func readChunkFraming(_ byte: UInt8) -> Progress? {
        switch stage {
        case .chunkSize(let value, let digits, let inExtension):
            if byte == 10 {
                guard digits > 0 else { return .failed(.other, "a chunk of the response has no size") }
                stage = value == 0 ? .trailer(lineIsEmpty: true) : .chunkData(remaining: value)
            } else if byte == 13 && !inExtension {
                stage = .chunkSize(value: value, digits: digits, inExtension: true)
            } else if inExtension || byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                // What follows the size up to the line feed, but for the CR right after the
                // size: an extension or white space, counted against the cap.
                if let problem = budget.spendChunkExtension(1) { return .failed(.other, problem) }
                if !inExtension { stage = .chunkSize(value: value, digits: digits, inExtension: true) }
            } else if let digit = hexDigitValue(byte), digits < 15 {
                stage = .chunkSize(value: value * 16 + digit, digits: digits + 1, inExtension: false)
            } else {
                return .failed(.other, "the response has an invalid chunk size")
            }
        case .chunkEnd(let sawCR):
            if byte == 10 {
                stage = .chunkSize(value: 0, digits: 0, inExtension: false)
            } else if byte == 13 && !sawCR {
                stage = .chunkEnd(sawCR: true)
            } else {
                return .failed(.other, "a chunk of the response is longer than its size")
            }
        case .trailer(let lineIsEmpty):
            if let problem = budget.spendTrailer(1) { return .failed(.other, problem) }
            if byte == 10 {
                stage = lineIsEmpty ? .done : .trailer(lineIsEmpty: true)
            } else if byte != 13 && lineIsEmpty {
                stage = .trailer(lineIsEmpty: false)
            }
        default:
            break
        }
        return nil
    }
}
