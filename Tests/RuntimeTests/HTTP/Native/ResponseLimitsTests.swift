import XCTest

@testable import IntegrationRuntime
@testable import OutboundHTTP

/// The native parser's caps on what an answer sends besides its body, fed whole.
final class ResponseLimitsTests: XCTestCase {
    private func parse(_ wire: String, limits: ResponseLimits = ResponseLimits()) -> ResponseParser.Progress {
        var parser = ResponseParser(expectsNoBody: false, maxBodyBytes: 1 << 20, limits: limits)
        return Array(wire.utf8).withUnsafeBytes { parser.feed($0).progress }
    }

    private let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

    func testInterimAnswersAreCounted() {
        let interim = String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 16)
        XCTAssertEqual(parse(interim + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), .complete)
        XCTAssertEqual(
            parse(interim + "HTTP/1.1 102 Processing\r\n\r\n"),
            .failed(.other, "the server sent more than 16 interim (1xx) answers"))
    }

    func testHeadBytesCountAcrossInterimAnswers() {
        var limits = ResponseLimits()
        limits.headBytes = 100
        let interim = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"  // 61 bytes
        XCTAssertEqual(parse(interim + "HTTP/1.1 204 No Content\r\n\r\n", limits: limits), .complete)
        XCTAssertEqual(parse(interim + interim, limits: limits), .failed(.other, "the response head is larger than 100 bytes"))
    }

    func testTrailerBytesAreCappedCarriageReturnsIncluded() {
        var limits = ResponseLimits()
        limits.trailerBytes = 64
        XCTAssertEqual(parse(chunked + "0\r\nX-Checksum: abc\r\n\r\n", limits: limits), .complete)
        XCTAssertEqual(
            parse(chunked + "0\r\n" + String(repeating: "X-Pad: 1\r\n", count: 7), limits: limits),
            .failed(.other, "the response's trailer is larger than 64 bytes"))
        XCTAssertEqual(
            parse(chunked + "0\r\n" + String(repeating: "\r", count: 65), limits: limits),
            .failed(.other, "the response's trailer is larger than 64 bytes"))
    }

    func testChunkExtensionsAreCappedButTheCRAfterASizeIsFree() {
        var limits = ResponseLimits()
        limits.chunkExtensionBytes = 16
        let manyChunks = String(repeating: "1\r\na\r\n", count: 1000) + "0\r\n\r\n"
        XCTAssertEqual(parse(chunked + manyChunks, limits: limits), .complete)
        XCTAssertEqual(parse(chunked + "1;name=value\r\na\r\n0\r\n\r\n", limits: limits), .complete)
        XCTAssertEqual(
            parse(chunked + "1;name=value\r\na\r\n1;name=value\r\nb\r\n0\r\n\r\n", limits: limits),
            .failed(.other, "the response's chunk extensions are larger than 16 bytes"))
        XCTAssertEqual(
            parse(chunked + "1" + String(repeating: "\r", count: 18), limits: limits),
            .failed(.other, "the response's chunk extensions are larger than 16 bytes"))
    }
}
