import FuzzSupport

@testable import OutboundHTTP

/// The bytes `RequestEncoder` wrote for a request, read back the way a server reads them,
/// and checked to be that one request and nothing more.
struct SentRequest {
    let wire: [UInt8]
    let request: OutboundRequest
    let target: WireTarget

    init(_ wire: [UInt8], request: OutboundRequest, target: WireTarget) {
        self.wire = wire
        self.request = request
        self.target = target
    }

    func check() {
        guard let headEnd = headEnd() else { violated("no end of head in \(shown(wire[...]))") }
        let head = wire[..<(headEnd + 2)]
        for i in head.indices {
            if head[i] == 13 { invariant(i + 1 < head.endIndex && head[i + 1] == 10, "a CR without LF in \(shown(head))") }
            if head[i] == 10 { invariant(i > head.startIndex && head[i - 1] == 13, "a LF without CR in \(shown(head))") }
            invariant(head[i] != 0, "a NUL in \(shown(head))")
        }
        let body = wire[(headEnd + 4)...]
        invariant(Array(body) == (request.sendsBody ? request.body : []), "the body is not the request's: \(shown(body))")

        var lines = splitLines(head)
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        invariant(parts.count == 3 && Array(parts[2]) == Array("HTTP/1.1".utf8), "request line \(shown(requestLine))")
        invariant(
            Array(parts[0]) == Array(request.method.utf8) && Array(parts[1]) == Array(target.requestTarget.utf8),
            "request line \(shown(requestLine))")

        var lengths: [String] = []
        var hosts: [String] = []
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { violated("header line \(shown(line))") }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            invariant(!name.isEmpty && name.utf8.allSatisfy(isTokenByte), "header name in \(shown(line))")
            let value = line[(colon + 1)...]
            invariant(value.isEmpty || value.first == UInt8(ascii: " "), "header line \(shown(line))")
            let text = String(decoding: value.dropFirst(), as: UTF8.self)
            if name.equalsASCIIIgnoringCase("content-length") { lengths.append(text) }
            if name.equalsASCIIIgnoringCase("host") { hosts.append(text) }
            invariant(!Self.connectionHeaders.contains(name.lowercased()), "\(name) sent: \(shown(line))")
        }
        invariant(
            lengths == (request.sendsBody ? [String(request.body.count)] : []),
            "Content-Length \(lengths) for a body of \(request.body.count) bytes")
        let ownHost = request.headers.first { $0.name.equalsASCIIIgnoringCase("host") }?.value
        invariant(hosts == [ownHost ?? target.authority], "Host \(hosts), the request's \(ownHost ?? "none")")
        invariant(lines.count == expectedHeaderCount, "\(lines.count) header lines, expected \(expectedHeaderCount): \(shown(head))")
    }

    /// The offset of the first CRLF CRLF: header lines are never empty, so it ends the head.
    private func headEnd() -> Int? {
        guard wire.count >= 4 else { return nil }
        return (0...(wire.count - 4)).first { wire[$0] == 13 && wire[$0 + 1] == 10 && wire[$0 + 2] == 13 && wire[$0 + 3] == 10 }
    }

    /// Lines of a head that ends with CRLF, without their CRLF.
    private func splitLines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        var i = head.startIndex
        while i < head.endIndex {
            if head[i] == 13 {
                lines.append(head[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        return lines
    }

    /// Headers that frame the request or manage the connection: the transport's alone, and
    /// it sends none of them but `Content-Length`.
    private static let connectionHeaders: Set<String> = [
        "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "upgrade",
    ]

    /// Host (the script's or the URL's), Authorization from the URL (unless set), the
    /// User-Agent (unless set), the script's other headers, Content-Length with a body.
    private var expectedHeaderCount: Int {
        func sets(_ name: StaticString) -> Bool { request.headers.contains { $0.name.equalsASCIIIgnoringCase(name) } }
        let others = request.headers.filter { !$0.name.equalsASCIIIgnoringCase("host") }
        return 1 + (target.basicAuthorization != nil && !sets("authorization") ? 1 : 0)
            + (sets("user-agent") ? 0 : 1) + others.count + (request.sendsBody ? 1 : 0)
    }

    private func shown(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription }
}
