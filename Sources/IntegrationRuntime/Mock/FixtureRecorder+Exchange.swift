import Host
import LeadJSON
import OutboundHTTP

/// Turns one request and response into a fixture's exchange (see `FixtureRecorder`).
struct Recorder {
    let masker: SecretMasker
    let now: Int64
    var warnings: [String] = []

    /// Response headers a replay has no use for: framing and the server's clock.
    static let droppedResponseHeaders: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive", "date"]

    mutating func request(_ r: OutboundRequest) -> JSONValue {
        var o: [String: JSONValue] = ["method": .string(r.method)]
        let (base, rawQuery) = FixtureMatcher.splitURL(r.url)
        let pairs = FormEncoding.decode(rawQuery)
        if !pairs.isEmpty && Set(pairs.map(\.0)).count == pairs.count {
            o["url"] = .string(masker.mask(base))
            o["query"] = .object(Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, scalar(name: $0.0, $0.1)) }))
        } else {
            o["url"] = .string(masker.mask(r.url))
        }
        var headers: [String: JSONValue] = [:]
        for (name, value) in r.headers where headers[name] == nil {
            let masked = masker.mask(value)
            // A credential holding no secret parameter (the store's unnamed `***` too).
            if CredentialHeaders.carriesCredentials(name) && masked == value && !Self.namesASecret(value) {
                headers[name] = FixtureMatcher.any  // a credential got at run time: never written down
            } else {
                headers[name] = scalar(name: name, value)
            }
        }
        if !headers.isEmpty { o["headers"] = .object(headers) }
        guard !r.body.isEmpty else { return .object(o) }
        let type = r.header("content-type")?.lowercased() ?? ""
        let text = String(decoding: r.body, as: UTF8.self)
        if let json = try? JSONValue.parse(r.body), type.contains("json") || json.objectValue != nil {
            o["json"] = volatile(masker.mask(json), name: nil)
        } else if type.contains("x-www-form-urlencoded"), case let form = FormEncoding.decode(Substring(text)),
            Set(form.map(\.0)).count == form.count
        {
            o["form"] = .object(Dictionary(uniqueKeysWithValues: form.map { ($0.0, scalar(name: $0.0, $0.1)) }))
        } else {
            o["body"] = .string(masker.mask(text))
            warnings.append(
                "\(r.method) \(masker.mask(base)): the body is recorded byte for byte (neither JSON nor a form): a timestamp, nonce or signature inside it will not replay; replace it with \"{{any}}\" by hand"
            )
        }
        return .object(o)
    }

    func response(_ r: OutboundResponse) -> JSONValue {
        if let failure = r.failure {
            let known: Set<String> = ["timeout", "connect", "tls", "dns", "invalid_request", "other"]
            return .object(["error": .string(known.contains(failure.rawValue) ? failure.rawValue : "other")])
        }
        var o: [String: JSONValue] = ["status": .integer(Int64(r.status))]
        var headers: [String: JSONValue] = [:]
        for (name, value) in r.headers where !Self.droppedResponseHeaders.contains(name.lowercased()) {
            let key = name.lowercased()
            let masked = masker.mask(value)
            let shown = masked == value ? CredentialHeaders.masked(name: key, value: value) : masked
            if let earlier = headers[key]?.stringValue {
                headers[key] = .string(earlier + ", " + shown)
            } else {
                headers[key] = .string(shown)
            }
        }
        if !headers.isEmpty { o["headers"] = .object(headers) }
        if !r.body.isEmpty {
            if let json = try? JSONValue.parse(r.body) {
                o["json"] = masker.mask(json)
            } else {
                o["body"] = .string(masker.mask(String(decoding: r.body, as: UTF8.self)))
            }
        }
        return .object(o)
    }

    /// Whether `value` holds a secret parameter already shown as `***name***`.
    static func namesASecret(_ value: String) -> Bool {
        guard let start = value.range(of: SecretMasker.mark) else { return false }
        let rest = value[start.upperBound...]
        guard let end = rest.range(of: SecretMasker.mark) else { return false }
        return !rest[..<end.lowerBound].isEmpty
    }

    /// A header, query or form value: `{{any}}` when volatile, else masked.
    func scalar(name: String, _ value: String) -> JSONValue {
        let masked = masker.mask(value)
        if masked == value && (VolatileNames.contains(name) || isVolatile(value)) { return FixtureMatcher.any }
        return .string(masked)
    }

    /// `value` with every member named like a volatile value, and every volatile scalar, as `{{any}}`.
    func volatile(_ value: JSONValue, name: String?) -> JSONValue {
        switch value {
        case .object(let fields):
            return .object(Dictionary(uniqueKeysWithValues: fields.map { ($0.key, volatile($0.value, name: $0.key)) }))
        case .array(let items):
            return .array(items.map { volatile($0, name: name) })
        case .string(let s):
            if s.contains(SecretMasker.mark) { return value }
            return (name.map(VolatileNames.contains) ?? false) || isVolatile(s) ? FixtureMatcher.any : value
        case .integer(let n):
            return (name.map(VolatileNames.contains) ?? false) || n == now || n / 1000 == now ? FixtureMatcher.any : value
        default:
            return value
        }
    }

    /// The call's time (epoch seconds or milliseconds, or ISO 8601), or a digest: hex of 32 digits or more.
    func isVolatile(_ text: String) -> Bool {
        if let n = Int64(text), n == now || n / 1000 == now { return true }
        if let epoch = ISO8601.parse(text), text.count > 10, abs(epoch - now) <= 1 { return true }
        return text.count >= 32 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }
}

/// Names of headers, query and form parameters and JSON members whose values change on
/// every call: signatures, nonces, timestamps. Compared by word: `X-Signature`,
/// `request_ts`, `hmacDigest` are; `assignee` is not.
enum VolatileNames {
    static let words: Set<String> = [
        "sign", "signature", "sig", "hmac", "nonce", "digest", "hash", "checksum", "timestamp", "ts", "time", "date", "datetime",
    ]

    static func contains(_ name: String) -> Bool {
        words(of: name).contains { words.contains($0) }
    }

    /// `X-Request-Signature` -> x, request, signature; `hmacDigest` -> hmac, digest.
    static func words(of name: String) -> [String] {
        var out: [String] = []
        var current = ""
        var previousLower = false
        for ch in name {
            if !(ch.isLetter || ch.isNumber) {
                if !current.isEmpty { out.append(current) }
                current = ""
                previousLower = false
                continue
            }
            if ch.isUppercase && previousLower {
                out.append(current)
                current = ""
            }
            current += ch.lowercased()
            previousLower = ch.isLowercase || ch.isNumber
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
