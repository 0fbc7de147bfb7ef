import Foundation
import FuzzSupport

@testable import OutboundHTTP

/// libFuzzer target: what the native engine sends for a script's request. The URL reader
/// (`WireTarget`), the request checks (`OutboundRequest.wireProblem`) and the head writer
/// (`RequestEncoder`) on arbitrary methods, URLs and headers.
///
/// Input: fields separated by the byte 0xFF (which never reaches the host from a script:
/// Lua strings become Swift strings as UTF-8, where 0xFF is invalid): method, URL, then
/// header name and value pairs; a last unpaired field is the body.
///
/// A request the checks let through must go out as exactly one request: one request line
/// `METHOD SP target SP HTTP/1.1` whose target is printable ASCII; one line per header,
/// every line ended by CRLF with no other CR or LF; a name of token bytes; one `Host`; the
/// body framed by one `Content-Length` (its real length), and no other header that frames
/// the request or manages the connection; nothing after the body (`SentRequest`). And
/// where libcurl, which the curl engine uses, reads the same URL, it names the same host
/// and port.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let fields = UnsafeBufferPointer(start: data, count: size).split(separator: 0xFF, omittingEmptySubsequences: false)
    guard fields.count >= 2 else { return 0 }
    let text = fields.map { String(decoding: $0, as: UTF8.self) }
    var headers: [(name: String, value: String)] = []
    var index = 2
    while index + 1 < text.count {
        headers.append((text[index], text[index + 1]))
        index += 2
    }
    let body = index < fields.count ? Array(fields[index]) : []
    let request = OutboundRequest(method: text[0], url: text[1], headers: headers, body: body)
    if let problem = request.wireProblem() {
        invariant(!problem.isEmpty, "a refusal without a reason")
        return 0
    }
    let target: WireTarget
    do { target = try WireTarget(url: request.url) } catch {
        invariant(!error.reason.isEmpty, "a refusal without a reason")
        return 0
    }
    checkTarget(target)
    if let curl = CurlOrigin(request.url) {
        invariant(
            curl.names(target.origin.host) && curl.port == target.origin.port,
            "\(request.url.debugDescription): native connects to \(target.origin.host):\(target.origin.port), curl to \(curl.host):\(curl.port)"
        )
    }
    var wire: [UInt8] = []
    RequestEncoder.encode(request, to: target, userAgent: "leadrelay-fuzz", into: &wire)
    SentRequest(wire, request: request, target: target).check()
    return 0
}

/// What a URL reader must never let through into the request line, `Host` or the pool key.
private func checkTarget(_ target: WireTarget) {
    let path = target.requestTarget.utf8
    invariant(path.first == UInt8(ascii: "/"), "request target \(target.requestTarget.debugDescription) does not start with /")
    invariant(!path.contains(where: breaksRequestLine), "request target \(target.requestTarget.debugDescription)")
    invariant(!path.contains(UInt8(ascii: "#")), "request target keeps the fragment: \(target.requestTarget.debugDescription)")
    let authority = target.authority.utf8
    invariant(
        !authority.isEmpty && !authority.contains(where: { breaksRequestLine($0) || "/?#@\\".utf8.contains($0) }),
        "authority \(target.authority.debugDescription)")
    let host = target.origin.host
    invariant(!host.isEmpty && host == host.lowercased(), "host \(host.debugDescription)")
    invariant(target.origin.port > 0 && target.origin.port < 65536, "port \(target.origin.port)")
    if let basic = target.basicAuthorization {
        invariant(
            basic.hasPrefix("Basic ") && Data(base64Encoded: String(basic.dropFirst(6))) != nil, "Authorization \(basic.debugDescription)")
    }
}

/// Bytes a request line may not hold: space, control bytes, DEL and anything outside ASCII
/// (which the two engines would send differently).
func breaksRequestLine(_ b: UInt8) -> Bool { b <= 0x20 || b >= 0x7F }
