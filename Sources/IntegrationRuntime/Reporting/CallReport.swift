import Host
import LeadJSON
import OutboundHTTP

/// One call rendered as JSON, every secret masked by the call's own masker (its secret
/// parameters, the values it registered with `log.secret`, credential headers): what
/// `leadrelay run` prints, and what a store keeps of an attempt.
///
///     print(CallReport(result).json.prettyEncoded())
public struct CallReport: Sendable {
    public var result: CallResult
    /// The call's masker, and the values given to `hiding`: mask with it whatever is
    /// printed next to the call.
    public let masker: SecretMasker
    /// Bodies longer than this many bytes are cut (masked first, so no secret is cut in
    /// half and left partly readable); nil: the response body's text is cut at 64 KiB
    /// and JSON bodies are kept whole (what `leadrelay run` prints).
    public let bodyLimit: Int?

    /// - Parameter hidden: values to mask besides the call's own secrets (the lead's
    ///   sensitive fields, such as its password, which no report shows).
    public init(_ result: CallResult, hiding hidden: [String] = []) {
        self.result = result
        self.masker = hidden.isEmpty ? result.masker : result.masker.merging(SecretMasker(secrets: hidden))
        bodyLimit = nil
    }

    private init(_ result: CallResult, masker: SecretMasker, bodyLimit: Int?) {
        self.result = result
        self.masker = masker
        self.bodyLimit = bodyLimit
    }

    /// The report a store keeps of an attempt: each secret parameter shown as
    /// `***name***` (the parameter it came from, so a fixture can be rebuilt from it), the
    /// `hidden` values as `***name***` under their names, and every body cut at `bodyLimit`
    /// bytes (64 KiB) with `body_bytes` and `truncated` saying so.
    public static func stored(_ result: CallResult, hiding hidden: [(name: String, value: String)] = [], bodyLimit: Int = 64 * 1024)
        -> CallReport
    {
        var masker = result.masker
        for (name, value) in hidden { masker.add(value, name: name) }
        masker.namesSecrets = true
        return CallReport(result, masker: masker, bodyLimit: bodyLimit)
    }

    /// The result's fields (an outcome's, or `updates`), then `logs`, `location` and the
    /// `exchanges` (request and response each), masked.
    public var json: JSONValue { masker.mask(unmasked) }

    /// `json` as compact text (`json.encoded()`), masked while it is written: what a store
    /// keeps of an attempt, without building a masked copy of the report first.
    public var encodedJSON: String { masker.maskedEncoding(unmasked) }

    /// `json` before masking (a body cut at `bodyLimit` is masked already).
    private var unmasked: JSONValue {
        var o = result.json.objectValue ?? [:]
        if !result.logs.isEmpty {
            o["logs"] = .array(result.logs.map { .string("[\($0.level.rawValue)] \($0.message)") })
        }
        if let location = result.location { o["location"] = .string(location) }
        if !result.exchanges.isEmpty {
            o["exchanges"] = .array(
                result.exchanges.map {
                    .object(["request": requestJSON($0.request), "response": responseJSON($0.response)])
                })
        }
        return .object(o)
    }

    private func requestJSON(_ request: OutboundRequest) -> JSONValue {
        guard let bodyLimit, request.body.count > bodyLimit else { return Self.json(request) }
        var cut = request
        cut.body = []
        return Self.withCutBody(Self.json(cut), masker.mask(request.body), bytes: request.body.count, limit: bodyLimit)
    }

    private func responseJSON(_ response: OutboundResponse) -> JSONValue {
        guard let bodyLimit, response.body.count > bodyLimit else { return Self.json(response) }
        var cut = response
        cut.body = []
        return Self.withCutBody(Self.json(cut), masker.mask(response.body), bytes: response.body.count, limit: bodyLimit)
    }

    /// `json` with the first `limit` bytes of `body` (already masked) as text, the length
    /// of the body as sent (`bytes`) and `truncated`.
    static func withCutBody(_ json: JSONValue, _ body: [UInt8], bytes: Int, limit: Int) -> JSONValue {
        var o = json.objectValue ?? [:]
        o["body"] = .string(String(decoding: body.prefix(limit), as: UTF8.self))
        o["body_bytes"] = .integer(Int64(bytes))
        o["truncated"] = .bool(true)
        return .object(o)
    }

    /// The first request the call made, masked: what a dry run prints.
    public var firstRequest: JSONValue? {
        result.exchanges.first.map { masker.mask(Self.json($0.request)) }
    }

    /// A request as JSON: method, url, headers, timeout, and its body as `json` when it is
    /// JSON, else as `body` text. Unmasked.
    public static func json(_ r: OutboundRequest) -> JSONValue {
        var o: [String: JSONValue] = [
            "method": .string(r.method), "url": .string(r.url),
            "headers": .object(Dictionary(r.headers.map { ($0.name, JSONValue.string($0.value)) }, uniquingKeysWith: { a, _ in a })),
            "timeout": .number(r.timeout),
        ]
        if !r.body.isEmpty {
            if r.header("content-type")?.contains("json") == true, let json = try? JSONValue.parse(r.body) {
                o["json"] = json
            } else {
                o["body"] = .string(String(decoding: r.body, as: UTF8.self))
            }
        }
        return .object(o)
    }

    /// A response as JSON: status, elapsed, the transport's `error` and `detail`, headers
    /// (repeated ones joined with ", "), and its body as `json` when it parses, else the
    /// first 64 KiB as `body` text. Unmasked.
    public static func json(_ r: OutboundResponse) -> JSONValue {
        var o: [String: JSONValue] = ["status": .integer(Int64(r.status)), "elapsed": .number(r.elapsed)]
        if let f = r.failure { o["error"] = .string(f.rawValue) }
        if let d = r.failureDetail { o["detail"] = .string(d) }
        o["headers"] = .object(
            Dictionary(
                r.headers.map { ($0.name, JSONValue.string($0.value)) },
                uniquingKeysWith: { a, b in .string((a.stringValue ?? "") + ", " + (b.stringValue ?? "")) }))
        if let json = try? JSONValue.parse(r.body), !r.body.isEmpty {
            o["json"] = json
        } else if !r.body.isEmpty {
            o["body"] = .string(String(decoding: r.body.prefix(64 * 1024), as: UTF8.self))
        }
        return .object(o)
    }
}
