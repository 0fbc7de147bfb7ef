/// Writes an `OutboundRequest` as HTTP/1.1 bytes, head and body in one buffer so that it
/// usually leaves in one `send`.
///
/// Headers go out as libcurl sends them for `LiveTransport`, so a script sees no
/// difference between the two: `Host` (the request's own in place of the URL's), then
/// `Authorization` from the URL's user information, then `User-Agent` unless the request
/// sets one, then the request's other headers in order (an empty value as `Name:`), then
/// `Content-Length` when a body is sent (for POST, PUT and PATCH always). Nothing else: no
/// `Accept`, no `Expect`, no `Content-Type` the script did not set. The request has passed
/// `OutboundRequest.wireProblem()`: it sets no framing header and at most one `Host`.
enum RequestEncoder {
    /// Appends the request to `output`.
    static func encode(_ request: OutboundRequest, to target: WireTarget, userAgent: String, into output: inout [UInt8]) {
        var ownHost: String?
        var ownAgent = false
        var ownAuthorization = false
        for (name, value) in request.headers {
            if name.equalsASCIIIgnoringCase("host") {
                ownHost = value
            } else if name.equalsASCIIIgnoringCase("user-agent") {
                ownAgent = true
            } else if name.equalsASCIIIgnoringCase("authorization") {
                ownAuthorization = true
            }
        }
        output.append(contentsOf: request.method.utf8)
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: target.requestTarget.utf8)
        output.append(contentsOf: " HTTP/1.1\r\n".utf8)
        appendField("Host", ownHost ?? target.authority, to: &output)
        if let basic = target.basicAuthorization, !ownAuthorization { appendField("Authorization", basic, to: &output) }
        if !ownAgent, !userAgent.isEmpty { appendField("User-Agent", userAgent, to: &output) }
        for (name, value) in request.headers where ownHost == nil || !name.equalsASCIIIgnoringCase("host") {
            appendField(name, value, to: &output)
        }
        let withBody = request.sendsBody
        if withBody { appendField("Content-Length", String(request.body.count), to: &output) }
        output.append(contentsOf: "\r\n".utf8)
        if withBody { output.append(contentsOf: request.body) }
    }

    private static func appendField(_ name: String, _ value: String, to output: inout [UInt8]) {
        output.append(contentsOf: name.utf8)
        output.append(UInt8(ascii: ":"))
        if !value.isEmpty {
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: value.utf8)
        }
        output.append(contentsOf: "\r\n".utf8)
    }
}
