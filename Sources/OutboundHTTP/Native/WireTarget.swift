import Foundation

/// Where a request goes, read from its URL: the connection it needs (scheme, host, port)
/// and what goes in its request line and `Host` header.
///
/// Accepts what libcurl accepts from scripts: `http`/`https` in any case, a host name, an
/// IPv4 literal or a bracketed IPv6 literal, an optional port, `user:password@` (sent as
/// Basic auth), and drops a `#fragment`.
struct WireTarget: Equatable {
    /// The pool key: requests with equal origins may share a kept-alive connection.
    struct Origin: Hashable {
        var secure: Bool
        /// Lower-cased name or IP literal, without brackets.
        var host: String
        var port: Int
    }

    var origin: Origin
    /// The `Host` header's value.
    var authority: String
    /// Path and query as they go in the request line; at least `/`.
    var requestTarget: String
    /// `Basic <base64>` from the URL's user information, if it had any.
    var basicAuthorization: String?

    /// Parses `url`; throws a description of what is wrong with it.
    init(url: String) throws(WireTargetError) {
        let bytes = Array(url.utf8)
        guard let schemeEnd = bytes.firstIndex(of: UInt8(ascii: ":")),
            bytes.count >= schemeEnd + 3, bytes[schemeEnd + 1] == UInt8(ascii: "/"), bytes[schemeEnd + 2] == UInt8(ascii: "/")
        else { throw WireTargetError("not an absolute http(s) URL") }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else { throw WireTargetError("unsupported scheme \(scheme)") }
        let secure = scheme == "https"
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !"/?#".utf8.contains(bytes[authorityEnd]) { authorityEnd += 1 }
        var hostStart = authorityStart
        if let at = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) {
            basicAuthorization = Self.basicAuthorization(bytes[authorityStart..<at])
            hostStart = at + 1
        }
        let (host, port, literalV6) = try Self.hostAndPort(bytes[hostStart..<authorityEnd], defaultPort: secure ? 443 : 80)
        origin = Origin(secure: secure, host: host, port: port)
        let shownHost = literalV6 ? "[\(host)]" : host
        authority = port == (secure ? 443 : 80) ? shownHost : "\(shownHost):\(port)"
        var targetEnd = authorityEnd
        while targetEnd < bytes.count, bytes[targetEnd] != UInt8(ascii: "#") { targetEnd += 1 }
        let target = String(decoding: bytes[authorityEnd..<targetEnd], as: UTF8.self)
        requestTarget = target.isEmpty ? "/" : target.hasPrefix("?") ? "/" + target : target
    }

    private static func hostAndPort(_ text: ArraySlice<UInt8>, defaultPort: Int) throws(WireTargetError) -> (String, Int, Bool) {
        guard let first = text.first else { throw WireTargetError("the URL has no host") }
        var hostBytes: ArraySlice<UInt8>
        var rest: ArraySlice<UInt8>
        var literalV6 = false
        if first == UInt8(ascii: "[") {
            guard let close = text.firstIndex(of: UInt8(ascii: "]")) else { throw WireTargetError("unterminated IPv6 address") }
            hostBytes = text[(text.startIndex + 1)..<close]
            rest = text[(close + 1)...]
            literalV6 = true
            guard !hostBytes.isEmpty,
                hostBytes.allSatisfy({ hexDigitValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }),
                IPAddress(literal: String(decoding: hostBytes, as: UTF8.self)) != nil
            else { throw WireTargetError("invalid IPv6 address") }
        } else {
            let colon = text.firstIndex(of: UInt8(ascii: ":")) ?? text.endIndex
            hostBytes = text[text.startIndex..<colon]
            rest = text[colon...]
            guard !hostBytes.isEmpty else { throw WireTargetError("the URL has no host") }
            guard hostBytes.allSatisfy(isHostNameByte) else { throw WireTargetError("invalid host name") }
        }
        var port = defaultPort
        if let colon = rest.first {
            guard colon == UInt8(ascii: ":") else { throw WireTargetError("unexpected text after the host") }
            let digits = rest.dropFirst()
            if !digits.isEmpty {
                guard digits.count <= 5, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                    let value = Int(String(decoding: digits, as: UTF8.self)), value > 0, value < 65536
                else { throw WireTargetError("invalid port") }
                port = value
            }
        }
        return (String(decoding: hostBytes, as: UTF8.self).lowercased(), port, literalV6)
    }

    private static func basicAuthorization(_ userinfo: ArraySlice<UInt8>) -> String {
        let decoded = percentDecoded(userinfo)
        let credentials = decoded.contains(UInt8(ascii: ":")) ? decoded : decoded + [UInt8(ascii: ":")]
        return "Basic " + Data(credentials).base64EncodedString()
    }

    private static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.endIndex, let high = hexDigitValue(bytes[i + 1]),
                let low = hexDigitValue(bytes[i + 2])
            {
                out.append(UInt8(high << 4 | low))
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}

/// A URL the native client cannot send.
struct WireTargetError: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

private func isHostNameByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
    }
}
