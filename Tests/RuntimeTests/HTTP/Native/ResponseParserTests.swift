import XCTest

@testable import IntegrationRuntime
@testable import OutboundHTTP

/// The native client's response parser, fed whole and one byte at a time.
final class ResponseParserTests: XCTestCase {
    /// Feeds `wire` in pieces of `step` bytes; returns the parser, the last progress and
    /// the bytes the parser did not use.
    private func parse(
        _ wire: String, step: Int = .max, head: Bool = false, max: Int = 1 << 20,
        endOfStream: Bool = false
    ) -> (ResponseParser, ResponseParser.Progress, Int) {
        var parser = ResponseParser(expectsNoBody: head, maxBodyBytes: max)
        let bytes = Array(wire.utf8)
        var offset = 0
        var progress = ResponseParser.Progress.needMore
        var unused = 0
        while offset < bytes.count {
            let piece = Array(bytes[offset..<min(bytes.count, offset + Swift.max(1, Swift.min(step, bytes.count)))])
            let (used, result) = piece.withUnsafeBytes { parser.feed($0) }
            progress = result
            offset += piece.count
            if result != .needMore {
                unused = piece.count - used + (bytes.count - offset)
                break
            }
        }
        if endOfStream && progress == .needMore { progress = parser.finishAtEndOfStream() }
        return (parser, progress, unused)
    }

    func testContentLengthWholeAndByteByByte() {
        let wire = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-Folded: a\r\n b\r\n\r\n{\"ok\":true}"
        for step in [Int.max, 1, 2, 7] {
            let (parser, progress, unused) = parse(wire, step: step)
            XCTAssertEqual(progress, .complete, "step \(step)")
            XCTAssertEqual(unused, 0)
            XCTAssertEqual(parser.status, 201)
            XCTAssertEqual(String(decoding: parser.body, as: UTF8.self), "{\"ok\":true}", "step \(step)")
            XCTAssertEqual(parser.headers.map(\.name), ["content-type", "content-length", "x-folded"])
            XCTAssertEqual(parser.headers.last?.value, "a b")
            XCTAssertTrue(parser.keepAlive)
        }
    }

    func testChunkedWithExtensionAndTrailer() {
        let wire =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, 0123456\n\r\n0\r\nX-Trailer: yes\r\n\r\n"
        for step in [Int.max, 1, 3] {
            let (parser, progress, unused) = parse(wire, step: step)
            XCTAssertEqual(progress, .complete, "step \(step)")
            XCTAssertEqual(unused, 0, "step \(step)")
            XCTAssertEqual(String(decoding: parser.body, as: UTF8.self), "hello, 0123456\n", "step \(step)")
            XCTAssertTrue(parser.keepAlive)
        }
    }

    func testBadChunkFramingFails() {
        for wire in [
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
        ] {
            let (_, progress, _) = parse(wire)
            guard case .failed(.other, let detail) = progress else { return XCTFail("\(wire.debugDescription): \(progress)") }
            XCTAssertTrue(detail.contains("chunk"), detail)
        }
    }

    func testInterimResponsesAreSkipped() {
        let (parser, progress, _) = parse(
            "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 200 OK\r\nX-Final: 1\r\nContent-Length: 2\r\n\r\nok", step: 5)
        XCTAssertEqual(progress, .complete)
        XCTAssertEqual(parser.headers.map(\.name), ["x-final", "content-length"])
        XCTAssertEqual(parser.body, Array("ok".utf8))
    }

    func testResponsesWithoutBody() {
        let head = parse("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", head: true)
        XCTAssertEqual(head.1, .complete)
        XCTAssertEqual(head.0.body, [])
        for status in [204, 304] {
            let (parser, progress, _) = parse("HTTP/1.1 \(status) X\r\nContent-Length: 9\r\n\r\n")
            XCTAssertEqual(progress, .complete)
            XCTAssertEqual(parser.status, status)
        }
    }

    func testBodyUntilTheConnectionCloses() {
        let (parser, progress, _) = parse("HTTP/1.1 200 OK\r\n\r\nstreamed body", step: 4, endOfStream: true)
        XCTAssertEqual(progress, .complete)
        XCTAssertEqual(parser.body, Array("streamed body".utf8))
        XCTAssertFalse(parser.keepAlive)
    }

    func testTruncatedResponsesFail() {
        let (parser, progress, _) = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", endOfStream: true)
        XCTAssertEqual(progress, .failed(.other, "the server closed the connection in the middle of the response"))
        XCTAssertFalse(parser.isUntouched)
        var fresh = ResponseParser(expectsNoBody: false, maxBodyBytes: 10)
        XCTAssertTrue(fresh.isUntouched)
        XCTAssertEqual(fresh.finishAtEndOfStream(), .failed(.other, "the server closed the connection without answering"))
    }

    func testKeepAliveFollowsVersionAndConnectionHeader() {
        XCTAssertFalse(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").0.keepAlive)
        XCTAssertFalse(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").0.keepAlive)
        XCTAssertTrue(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").0.keepAlive)
    }

    func testSizeCap() {
        let declared = parse("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", max: 10)
        XCTAssertEqual(declared.1, .failed(.responseTooLarge, "the response body is larger than 10 bytes"))
        let chunked = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n", max: 10)
        XCTAssertEqual(chunked.1, .failed(.responseTooLarge, "the response body is larger than 10 bytes"))
        let exact = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", max: 10)
        XCTAssertEqual(exact.1, .complete)
    }

    func testWhatIsNotHTTPFails() {
        for wire in [
            "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/2 200\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        ] {
            guard case .failed(.other, _) = parse(wire).1 else { return XCTFail(wire.debugDescription) }
        }
        let huge = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Pad: 0123456789\r\n", count: 4000)
        guard case .failed(.other, let detail) = parse(huge).1 else { return XCTFail("a 76 KiB head was accepted") }
        XCTAssertTrue(detail.contains("64 KiB"), detail)
    }

    func testStatusesOutside100To599AndSignedLengthsAreRefused() {
        for status in ["000", "099", "600", "999"] {
            XCTAssertEqual(
                parse("HTTP/1.1 \(status) X\r\nContent-Length: 0\r\n\r\n").1,
                .failed(.other, "the server answered with status \(Int(status)!), outside 100-599"))
        }
        for length in ["+3", "-0", "3 3", "0x3", "١"] {
            XCTAssertEqual(
                parse("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\nabc").1,
                .failed(.other, "the response has an invalid Content-Length \(length.debugDescription)"))
        }
    }

    /// Transfer-Encoding frames the body; with Content-Length too the connection is not
    /// reused. A last coding other than chunked runs to the close.
    func testTransferEncodingWinsOverContentLengthAndEndsKeepAlive() {
        let both = parse("HTTP/1.1 200 OK\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
        XCTAssertEqual(both.1, .complete)
        XCTAssertEqual(both.0.body, Array("ok".utf8))
        XCTAssertFalse(both.0.keepAlive)
        let chunkedOnly = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
        XCTAssertEqual(chunkedOnly.1, .complete)
        XCTAssertTrue(chunkedOnly.0.keepAlive)
        let notChunked = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 2\r\n\r\nokmore", endOfStream: true)
        XCTAssertEqual(notChunked.1, .complete)
        XCTAssertEqual(notChunked.0.body, Array("okmore".utf8))
        XCTAssertFalse(notChunked.0.keepAlive)
    }

    func testBytesAfterTheResponseAreLeftUnused() {
        let (_, progress, unused) = parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n")
        XCTAssertEqual(progress, .complete)
        XCTAssertEqual(unused, 17)
    }
}
