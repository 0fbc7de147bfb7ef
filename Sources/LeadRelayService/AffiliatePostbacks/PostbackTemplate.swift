/// An affiliate's postback URL template, checked when it is set:
/// `https://tracker.example/pb?click={click_id}&status={status}`.
///
/// - `http://` or `https://` only, a host, no user or password before it (`user:pw@`), no
///   fragment (`#...` is never sent), at most 2,048 characters of printable ASCII;
/// - its port (written, else 80 or 443) one of `egress.postbacks.ports`;
/// - macros only after the host (a macro cannot choose where the call goes), each one of
///   `Macro` (`{lead_id}`, `{sub_id}`, `{click_id}`, `{status}`, `{stage}`, `{payout}`,
///   `{currency}`): an unknown one is an error naming it.
///
/// `render` puts the values in, each percent-encoded (only `A-Z a-z 0-9 - . _ ~` stay as
/// they are), so a value can never add a parameter or change the path.
public struct PostbackTemplate: Sendable, Equatable {
    /// The macros a template may hold.
    public enum Macro: String, Sendable, CaseIterable {
        case leadID = "lead_id"
        case subID = "sub_id"
        case clickID = "click_id"
        case status, stage, payout, currency
    }

    enum Piece: Sendable, Equatable {
        case literal(String)
        case macro(Macro)
    }

    /// The template as set.
    public let text: String
    let pieces: [Piece]
    /// The port calls go to (written, else the scheme's).
    public let port: Int

    /// The longest template accepted.
    public static let maxLength = 2048

    /// Checks `text`; `allowedPorts` is `egress.postbacks.ports`.
    public init(_ text: String, allowedPorts: [Int]) throws(PostbackTemplateError) {
        let parsed = try Self.parse(text)
        guard allowedPorts.contains(parsed.port) else { throw .port(parsed.port, allowed: allowedPorts) }
        self.text = text
        pieces = parsed.pieces
        port = parsed.port
    }

    /// A template as stored (checked when it was set): no port check, since ports are
    /// checked again at each call against the configuration of the moment.
    init(stored text: String) throws(PostbackTemplateError) {
        let parsed = try Self.parse(text)
        self.text = text
        pieces = parsed.pieces
        port = parsed.port
    }

    /// The URL with `values` put in, percent-encoded; a macro without a value is empty.
    public func render(_ values: [Macro: String]) -> String {
        var url = ""
        for piece in pieces {
            switch piece {
            case .literal(let text): url += text
            case .macro(let macro): url += Self.percentEncoded(values[macro] ?? "")
            }
        }
        return url
    }

    /// Every byte but `A-Z a-z 0-9 - . _ ~` as `%XX`.
    public static func percentEncoded(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                encoded += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return encoded
    }

    // MARK: Checking

    private static func parse(_ text: String) throws(PostbackTemplateError) -> (pieces: [Piece], port: Int) {
        guard !text.isEmpty else { throw .empty }
        guard text.utf8.count <= maxLength else { throw .tooLong(text.utf8.count) }
        if let bad = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value >= 0x7F }) {
            throw .character(bad.value <= 0x20 || bad.value == 0x7F ? "a space or control character" : "\"\(bad)\" (percent-encode it)")
        }
        if text.contains("#") { throw .fragment }
        let lower = text.lowercased()
        let schemeLength: Int
        let defaultPort: Int
        if lower.hasPrefix("https://") {
            (schemeLength, defaultPort) = (8, 443)
        } else if lower.hasPrefix("http://") {
            (schemeLength, defaultPort) = (7, 80)
        } else {
            throw .scheme
        }
        let rest = text.dropFirst(schemeLength)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if authority.contains("{") || authority.contains("}") { throw .macroInHost }
        if authority.contains("@") { throw .userinfo }
        let port = try hostPort(String(authority), defaultPort: defaultPort)
        return (try pieces(text), port)
    }

    /// The port of `host[:port]` (`[v6]:port` too); a missing host or a bad port is an error.
    private static func hostPort(_ authority: String, defaultPort: Int) throws(PostbackTemplateError) -> Int {
        var host = Substring(authority)
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .host }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .host }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .host }
        guard let portText else { return defaultPort }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText),
            (1...65535).contains(port)
        else { throw .badPort(String(portText)) }
        return port
    }

    private static func pieces(_ text: String) throws(PostbackTemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "}" { throw .unopenedBrace }
            guard character == "{" else {
                literal.append(character)
                index = text.index(after: index)
                continue
            }
            guard let close = text[index...].firstIndex(of: "}") else { throw .unclosedBrace }
            let name = String(text[text.index(after: index)..<close])
            guard let macro = Macro(rawValue: name) else { throw .unknownMacro(name) }
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
            pieces.append(.macro(macro))
            index = text.index(after: close)
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }
}

/// Why a postback URL template cannot be used, with what to write instead.
public enum PostbackTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    case character(String)
    case fragment
    case scheme
    case macroInHost
    case userinfo
    case host
    case badPort(String)
    case port(Int, allowed: [Int])
    case unknownMacro(String)
    case unclosedBrace
    case unopenedBrace

    public var description: String {
        let macros = PostbackTemplate.Macro.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
        switch self {
        case .empty: return "the postback URL is empty"
        case .tooLong(let length): return "the postback URL has \(length) characters; at most \(PostbackTemplate.maxLength)"
        case .character(let what): return "the postback URL holds \(what)"
        case .fragment: return "the postback URL has a fragment (#...), which is never sent: remove it"
        case .scheme: return "the postback URL must start with http:// or https://"
        case .macroInHost: return "a macro may not stand in the postback URL's host or port, only in its path and query"
        case .userinfo: return "the postback URL may not carry a user or password (user:password@host): put a token in the query instead"
        case .host: return "the postback URL has no usable host"
        case .badPort(let text): return "the postback URL's port \"\(text)\" is not a port number (1-65535)"
        case .port(let port, let allowed):
            let list = allowed.map(String.init).joined(separator: ", ")
            return "the postback URL's port \(port) is not allowed (egress.postbacks.ports: \(list))"
        case .unknownMacro(let name): return "unknown macro {\(name)} in the postback URL; the macros are \(macros)"
        case .unclosedBrace: return "a { in the postback URL is not closed; the macros are \(macros)"
        case .unopenedBrace: return "a } in the postback URL has no {; the macros are \(macros)"
        }
    }
}
