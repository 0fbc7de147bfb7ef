import LeadJSON

/// A request as an emulator sees it: the path below the emulator's prefix, decoded
/// query, headers and body. Emulators are plain functions of this (plus the store and
/// the clock), so they can be tested without sockets.
public struct EmulatorRequest: Sendable {
    public var method: String
    /// Path below the emulator prefix, e.g. `/api/affiliates/v2/leads`.
    public var path: String
    /// Decoded query parameters; the last value wins for repeated names.
    public var query: [String: String]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        method: String, path: String, query: [String: String] = [:],
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The media type of Content-Type, lower case, without parameters.
    public var mediaType: String? {
        header("Content-Type").map { String($0.split(separator: ";").first ?? "").trimmingSpaces().lowercased() }
    }

    /// The body as a JSON object, or nil.
    public var jsonObject: [String: JSONValue]? {
        (try? JSONValue.parse(body))?.objectValue
    }

    /// The body as an `application/x-www-form-urlencoded` form.
    public var form: [String: String] { FormCodec.decode(body) }
}

/// An emulator's answer.
public struct EmulatorResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer (`Content-Type: application/json` unless `contentType` says otherwise).
    public static func json(
        _ status: Int, _ value: JSONValue, contentType: String = "application/json",
        headers extra: [(name: String, value: String)] = []
    ) -> EmulatorResponse {
        EmulatorResponse(status: status, headers: [("Content-Type", contentType)] + extra, body: Array(value.encoded().utf8))
    }

    /// A plain-text answer.
    public static func text(_ status: Int, _ text: String) -> EmulatorResponse {
        EmulatorResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
