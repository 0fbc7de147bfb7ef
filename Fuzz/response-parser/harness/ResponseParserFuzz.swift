import Foundation
import FuzzSupport

@testable import OutboundHTTP

/// libFuzzer target: the native engine's HTTP/1.1 response parser (`ResponseParser`)
/// fed arbitrary server bytes.
///
/// Input: 4 option bytes, then what the server sends.
/// - byte 0: bit 0 set for a HEAD request (no body expected); bits 1-2 pick the body cap
///   (0, 5, 64 bytes or 5 MiB); bit 3 set for small `ResponseLimits` (heads, interim
///   answers, trailers, chunk extensions), so that inputs of a few KB reach them;
/// - bytes 1-3: lengths (each + 1) of the pieces the bytes arrive in, repeated.
///
/// The bytes are fed three ways: whole, in those pieces, and one byte at a time; the
/// connection ends after the last byte. All three must end the same way (same status,
/// headers, body, keep-alive and bytes used, or the same failure), and no run may crash,
/// hold a body over its cap, or break the parser's own rules (`ParserRun`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size >= 4, let data else { return 0 }
    let options = UnsafeBufferPointer(start: data, count: 4)
    let wire = UnsafeRawBufferPointer(start: data + 4, count: size - 4)
    let expectsNoBody = options[0] & 1 != 0
    let cap = [0, 5, 64, 5 * 1024 * 1024][Int(options[0] >> 1) & 3]
    let limits =
        options[0] & 8 != 0
        ? ResponseLimits(headBytes: 300, interimAnswers: 2, trailerBytes: 40, chunkExtensionBytes: 20) : ResponseLimits()
    let pieces = [Int(options[1]) + 1, Int(options[2]) + 1, Int(options[3]) + 1]

    let whole = ParserRun(wire, pieces: [wire.count], expectsNoBody: expectsNoBody, cap: cap, limits: limits)
    let split = ParserRun(wire, pieces: pieces, expectsNoBody: expectsNoBody, cap: cap, limits: limits)
    let byByte = ParserRun(wire, pieces: [1], expectsNoBody: expectsNoBody, cap: cap, limits: limits)
    invariant(split.ending == whole.ending, "split at \(pieces): \(split.ending) whole: \(whole.ending)")
    invariant(byByte.ending == whole.ending, "byte by byte: \(byByte.ending) whole: \(whole.ending)")
    return 0
}

/// One connection's bytes through a fresh parser, fed in pieces of the given lengths
/// (cycled), with the parser's rules checked after every feed.
struct ParserRun {
    /// How the response ended, in the terms the three feeds must agree on.
    enum Ending: Equatable, CustomStringConvertible {
        case complete(status: Int, headers: [String], body: [UInt8], keepAlive: Bool, used: Int)
        case failed(TransportFailure, String)

        var description: String {
            switch self {
            case .complete(let status, let headers, let body, let keepAlive, let used):
                "complete \(status) \(headers) body \(body.count) bytes keepAlive \(keepAlive) used \(used)"
            case .failed(let failure, let detail): "failed \(failure): \(detail)"
            }
        }
    }

    private(set) var ending: Ending

    init(_ wire: UnsafeRawBufferPointer, pieces: [Int], expectsNoBody: Bool, cap: Int, limits: ResponseLimits) {
        var parser = ResponseParser(expectsNoBody: expectsNoBody, maxBodyBytes: cap, limits: limits)
        var offset = 0
        var piece = 0
        while offset < wire.count {
            let length = min(pieces[piece % pieces.count], wire.count - offset)
            piece += 1
            let (used, progress) = parser.feed(UnsafeRawBufferPointer(rebasing: wire[offset..<(offset + length)]))
            invariant(used >= 0 && used <= length, "used \(used) of a \(length)-byte piece")
            Self.checkBounds(parser, cap: cap, limits: limits)
            switch progress {
            case .needMore:
                invariant(used == length, "needs more but used only \(used) of \(length) bytes")
                offset += length
            case .complete:
                ending = Self.completed(parser, used: offset + used, expectsNoBody: expectsNoBody, cap: cap)
                return
            case .failed(let failure, let detail):
                ending = Self.failed(failure, detail, cap: cap)
                return
            }
        }
        switch parser.finishAtEndOfStream() {
        case .complete:
            ending = Self.completed(parser, used: wire.count, expectsNoBody: expectsNoBody, cap: cap)
        case .failed(let failure, let detail):
            ending = Self.failed(failure, detail, cap: cap)
        case .needMore:
            violated("the end of the stream left the response unfinished")
        }
    }

    /// What holds after any feed: the body within its cap, the head within its limit.
    private static func checkBounds(_ parser: ResponseParser, cap: Int, limits: ResponseLimits) {
        invariant(parser.body.count <= cap, "body of \(parser.body.count) bytes over the cap of \(cap)")
        // Every header line takes at least a name byte or colon and a line feed.
        invariant(parser.headers.count <= limits.headBytes / 2, "\(parser.headers.count) headers")
    }

    private static func completed(_ parser: ResponseParser, used: Int, expectsNoBody: Bool, cap: Int) -> Ending {
        let status = parser.status
        invariant((200...599).contains(status), "status \(status) given as the response")
        let hasBody = !expectsNoBody && status != 204 && status != 304
        if !hasBody {
            invariant(parser.body.isEmpty, "a response without body has \(parser.body.count) bytes")
        }
        for (name, _) in parser.headers {
            invariant(!name.utf8.contains(where: { $0 >= 65 && $0 <= 90 }), "header name \(name.debugDescription) not lower-cased")
        }
        let framing = Framing(parser.headers)
        if hasBody, framing.transferEncoding == nil, let length = framing.contentLength {
            invariant(parser.body.count == length, "Content-Length \(length) but a body of \(parser.body.count) bytes")
        }
        if hasBody && framing.runsToClose {
            invariant(!parser.keepAlive, "a body that ends with the connection kept the connection alive")
        }
        // Another reader may frame such a body by its Content-Length (an answer without a
        // body, to HEAD or a 204 or 304, leaves nothing to read either way).
        if hasBody && framing.transferEncoding != nil && framing.contentLength != nil {
            invariant(!parser.keepAlive, "an answer with Transfer-Encoding and Content-Length kept the connection alive")
        }
        let response = parser.response(elapsed: 0)
        invariant(response.failure == nil && response.body.count <= cap, "response \(response.status) failed or over the cap")
        return .complete(
            status: status, headers: parser.headers.map { "\($0.name): \($0.value)" }, body: parser.body,
            keepAlive: parser.keepAlive, used: used)
    }

    private static func failed(_ failure: TransportFailure, _ detail: String, cap: Int) -> Ending {
        invariant(!detail.isEmpty, "a failure without detail")
        invariant(failure == .other || failure == .responseTooLarge, "unexpected failure \(failure)")
        return .failed(failure, detail)
    }
}

/// How the header fields frame the body (RFC 9112, section 6.3), read independently of the
/// parser: `Transfer-Encoding` wins over `Content-Length`; chunked when its last coding is.
private struct Framing {
    var contentLength: Int?
    var transferEncoding: String?

    init(_ headers: [(name: String, value: String)]) {
        for (name, value) in headers {
            if name == "content-length" { contentLength = Int(value) }
            if name == "transfer-encoding" { transferEncoding = value }
        }
    }

    var chunked: Bool {
        let last = transferEncoding?.split(separator: ",").last ?? ""
        return last.trimmingCharacters(in: .whitespaces).lowercased() == "chunked"
    }

    /// Whether a body runs to the end of the connection.
    var runsToClose: Bool { transferEncoding != nil ? !chunked : contentLength == nil }
}
