import Host
import LeadJSON
import OutboundHTTP

/// Compares what a script did with what a fixture expects, and names the first
/// difference: where (a JSON path or a request part), what was expected, what came.
public struct FixtureDifference: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var expected: String
    public var actual: String

    public var description: String { "\(path): expected \(expected), got \(actual)" }
}

enum FixtureMatcher {
    static let any = JSONValue.string("{{any}}")

    /// The first difference between an expected JSON value and an actual one, at `path`.
    /// `"{{any}}"` matches anything; numbers compare by value (1 equals 1.0).
    static func difference(_ expected: JSONValue, _ actual: JSONValue?, path: String) -> FixtureDifference? {
        if expected == any { return actual == nil ? FixtureDifference(path: path, expected: "a value", actual: "nothing") : nil }
        guard let actual else { return FixtureDifference(path: path, expected: show(expected), actual: "nothing") }
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            for key in e.keys.sorted() {
                if let d = difference(e[key]!, a[key], path: path + "." + key) { return d }
            }
            if let extra = a.keys.sorted().first(where: { e[$0] == nil }) {
                return FixtureDifference(path: path + "." + extra, expected: "nothing", actual: show(a[extra]!))
            }
            return nil
        case (.array(let e), .array(let a)):
            for (i, item) in e.enumerated() {
                if let d = difference(item, i < a.count ? a[i] : nil, path: "\(path)[\(i)]") { return d }
            }
            if a.count > e.count {
                return FixtureDifference(path: "\(path)[\(e.count)]", expected: "nothing", actual: show(a[e.count]))
            }
            return nil
        default:
            return sameScalar(expected, actual) ? nil : FixtureDifference(path: path, expected: show(expected), actual: show(actual))
        }
    }

    static func sameScalar(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if a == b { return true }
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return false
    }

    /// A value as a diff shows it: JSON, cut at 200 characters.
    static func show(_ value: JSONValue) -> String {
        let text = value.encoded()
        return text.count > 200 ? String(text.prefix(200)) + "..." : text
    }

    /// The first difference between an expected request of a fixture and the one sent.
    static func difference(request expected: [String: JSONValue], actual: OutboundRequest, label: String) -> FixtureDifference? {
        let method = expected["method"]?.stringValue?.uppercased() ?? "POST"
        if method != actual.method {
            return FixtureDifference(path: "\(label).method", expected: method, actual: actual.method)
        }
        guard let expectedURL = expected["url"]?.stringValue else {
            return FixtureDifference(path: "\(label).url", expected: "a url in the fixture", actual: actual.url)
        }
        let e = splitURL(expectedURL)
        let a = splitURL(actual.url)
        if e.base != a.base {
            return FixtureDifference(path: "\(label).url", expected: e.base, actual: a.base)
        }
        var expectedQuery = FormEncoding.decode(e.query)
        if let q = expected["query"]?.objectValue {
            for (k, v) in q.sorted(by: { $0.key < $1.key }) { expectedQuery.append((k, scalarText(v))) }
        }
        if let d = pairsDifference(expectedQuery, FormEncoding.decode(a.query), path: "\(label).query") { return d }
        if let headers = expected["headers"]?.objectValue {
            for name in headers.keys.sorted() {
                let want = scalarText(headers[name]!)
                // A credential header shows its scheme only, on both sides.
                let shown = { (value: String) in quote(CredentialHeaders.masked(name: name, value: value)) }
                guard let got = actual.header(name) else {
                    return FixtureDifference(path: "\(label).headers.\(name)", expected: shown(want), actual: "no such header")
                }
                if want != "{{any}}" && want != got {
                    return FixtureDifference(path: "\(label).headers.\(name)", expected: shown(want), actual: shown(got))
                }
            }
        }
        if let json = expected["json"] {
            let got: JSONValue
            do { got = try JSONValue.parse(actual.body) } catch {
                return FixtureDifference(
                    path: "\(label).json", expected: show(json),
                    actual: "a body that is not JSON: \(quote(String(decoding: actual.body.prefix(200), as: UTF8.self)))")
            }
            return difference(json, got, path: "\(label).json$")
        }
        if let form = expected["form"]?.objectValue {
            let want = form.sorted { $0.key < $1.key }.map { ($0.key, scalarText($0.value)) }
            return pairsDifference(
                want, FormEncoding.decode(Substring(String(decoding: actual.body, as: UTF8.self))), path: "\(label).form")
        }
        if let body = expected["body"]?.stringValue, body != "{{any}}" {
            let got = String(decoding: actual.body, as: UTF8.self)
            if body != got { return FixtureDifference(path: "\(label).body", expected: quote(body), actual: quote(got)) }
        }
        return nil
    }

    /// Key/value pairs compared as multisets; `{{any}}` matches any value.
    static func pairsDifference(_ expected: [(String, String)], _ actual: [(String, String)], path: String) -> FixtureDifference? {
        var remaining = actual
        for (k, v) in expected {
            if let i = remaining.firstIndex(where: { $0.0 == k && (v == "{{any}}" || $0.1 == v) }) {
                remaining.remove(at: i)
            } else {
                let got = actual.first { $0.0 == k }.map { quote($0.1) } ?? "no such parameter"
                return FixtureDifference(path: "\(path).\(k)", expected: quote(v), actual: got)
            }
        }
        if let (k, v) = remaining.first {
            return FixtureDifference(path: "\(path).\(k)", expected: "nothing", actual: quote(v))
        }
        return nil
    }

    /// Scheme, host and path; and the raw query.
    static func splitURL(_ url: String) -> (base: String, query: Substring) {
        guard let q = url.firstIndex(of: "?") else { return (url, "") }
        return (String(url[..<q]), url[url.index(after: q)...])
    }

    static func scalarText(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return v.encoded()
        }
    }

    static func quote(_ s: String) -> String { JSONValue.string(s).encoded() }
}
