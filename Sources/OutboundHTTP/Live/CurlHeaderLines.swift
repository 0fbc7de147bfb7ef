/// The libcurl engine's look at an answer's header lines as libcurl hands them over (status
/// lines, fields, the blank line ending a head, then trailer fields), so that it refuses
/// what the native engine's parser refuses, with the same detail: a status outside 100-599,
/// a `Content-Length` that is not plain digits or that disagrees with another, heads,
/// interim answers and trailers past their `ResponseLimits`. An answer framed by both
/// `Transfer-Encoding` and `Content-Length` is read, but its connection must not be
/// reused. A value type, one per transfer.
struct CurlHeaderLines {
    enum Verdict: Equatable {
        case accept
        /// Read the answer, then close its connection.
        case acceptButDoNotReuse
        /// Abort the transfer: the transport failure `other` with this detail.
        case refuse(String)
    }

    private enum Phase {
        /// Up to the blank line that ends a head (0 before the first status line).
        case head(status: Int)
        /// After a final answer's head: trailer fields (or, through a proxy, the status line
        /// of the real answer after the proxy's answer to CONNECT).
        case trailer
    }

    private var phase = Phase.head(status: 0)
    private var budget: ResponseBudget
    private var contentLength: Int?
    private var transferEncoding = false

    init(limits: ResponseLimits = ResponseLimits()) {
        budget = ResponseBudget(limits)
    }

    /// Takes one line, with its line break.
    mutating func take(_ line: UnsafeRawBufferPointer) -> Verdict {
        if line.starts(with: "HTTP/".utf8) {
            if let problem = budget.spendHead(line.count) { return .refuse(problem) }
            guard let status = Self.status(of: line) else { return .accept }  // libcurl refuses it itself
            if let problem = ResponseFraming.statusProblem(status) { return .refuse(problem) }
            if status < 200, let problem = budget.countInterimAnswer() { return .refuse(problem) }
            phase = .head(status: status)
            contentLength = nil
            transferEncoding = false
            return .accept
        }
        guard case .head(let status) = phase else {
            if let problem = budget.spendTrailer(line.count) { return .refuse(problem) }
            return .accept
        }
        if let problem = budget.spendHead(line.count) { return .refuse(problem) }
        let content = Self.withoutLineBreak(line)
        if content.isEmpty {
            if status >= 200 { phase = .trailer }
            return transferEncoding && contentLength != nil ? .acceptButDoNotReuse : .accept
        }
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { return .accept }
        let name = content[..<colon]
        if name.equalsASCIIIgnoringCase("content-length") {
            let value = String(decoding: UnsafeRawBufferPointer(rebasing: content[(colon + 1)...]), as: UTF8.self)
                .trimmingSpacesAndTabs()
            guard let length = ResponseFraming.contentLength(value), contentLength == nil || contentLength == length else {
                return .refuse(ResponseFraming.invalidContentLength(value))
            }
            contentLength = length
        } else if name.equalsASCIIIgnoringCase("transfer-encoding") {
            transferEncoding = true
        }
        return .accept
    }

    /// The code of a status line `HTTP/<version> <3 digits>...`.
    private static func status(of line: UnsafeRawBufferPointer) -> Int? {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")), space + 3 < line.count else { return nil }
        var code = 0
        for byte in line[(space + 1)...(space + 3)] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return code
    }

    private static func withoutLineBreak(_ line: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer> {
        var end = line.count
        while end > 0, line[end - 1] == 10 || line[end - 1] == 13 { end -= 1 }
        return line[0..<end]
    }
}
