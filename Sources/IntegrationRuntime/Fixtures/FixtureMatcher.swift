import Host
import LeadJSON
import OutboundHTTP

/// Compares what a script did with what a fixture expects, and names each
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
    static func difference(_ expected: JSONValue, _ actual: JSONValue?, path: String) -> FixtureDifference? {
        differences(expected, actual, path: path).first
    }

    /// Every difference between an expected JSON value and an actual one, at `path`: object
    /// members by name, then the members the fixture does not list; list items in order.
    /// `"{{any}}"` matches anything; numbers compare by value (1 equals 1.0).
    static func differences(_ expected: JSONValue, _ actual: JSONValue?, path: String) -> [FixtureDifference] {
        if expected == any { return actual == nil ? [FixtureDifference(path: path, expected: "a value", actual: "nothing")] : [] }
        guard let actual else { return [FixtureDifference(path: path, expected: show(expected), actual: "nothing")] }
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            var found = e.keys.sorted().flatMap { differences(e[$0]!, a[$0], path: path + "." + $0) }
            for extra in a.keys.sorted() where e[extra] == nil {
                found.append(FixtureDifference(path: path + "." + extra, expected: "nothing", actual: show(a[extra]!)))
            }
            return found
        case (.array(let e), .array(let a)):
            var found = e.enumerated().flatMap { i, item in differences(item, i < a.count ? a[i] : nil, path: "\(path)[\(i)]") }
            for i in e.count..<max(e.count, a.count) {
                found.append(FixtureDifference(path: "\(path)[\(i)]", expected: "nothing", actual: show(a[i])))
            }
            return found
        default:
            return sameScalar(expected, actual) ? [] : [FixtureDifference(path: path, expected: show(expected), actual: show(actual))]
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
        differences(request: expected, actual: actual, label: label).first
    }

    /// Every difference between an expected request of a fixture and the one sent: method,
    /// URL, query, headers (by name), body.
    static func differences(request expected: [String: JSONValue], actual: OutboundRequest, label: String) -> [FixtureDifference] {
        var found: [FixtureDifference] = []
        let method = expected["method"]?.stringValue?.uppercased() ?? "POST"
        if method != actual.method {
            found.append(FixtureDifference(path: "\(label).method", expected: method, actual: actual.method))
        }
        guard let expectedURL = expected["url"]?.stringValue else {
            return found + [FixtureDifference(path: "\(label).url", expected: "a url in the fixture", actual: actual.url)]
        }
        let e = splitURL(expectedURL)
        let a = splitURL(actual.url)
        if e.base != a.base {
            found.append(FixtureDifference(path: "\(label).url", expected: e.base, actual: a.base))
        }
        var expectedQuery = FormEncoding.decode(e.query)
        if let q = expected["query"]?.objectValue {
            for (k, v) in q.sorted(by: { $0.key < $1.key }) { expectedQuery.append((k, scalarText(v))) }
        }
        found += pairsDifferences(expectedQuery, FormEncoding.decode(a.query), path: "\(label).query")
        for name in (expected["headers"]?.objectValue ?? [:]).keys.sorted() {
            let want = scalarText(expected["headers"]!.objectValue![name]!)
            // A credential header shows its scheme only, on both sides.
            let shown = { (value: String) in quote(CredentialHeaders.masked(name: name, value: value)) }
            if let got = actual.header(name) {
                if want != "{{any}}" && want != got {
                    found.append(FixtureDifference(path: "\(label).headers.\(name)", expected: shown(want), actual: shown(got)))
                }
            } else {
                found.append(FixtureDifference(path: "\(label).headers.\(name)", expected: shown(want), actual: "no such header"))
            }
        }
        return found + bodyDifferences(expected, actual, label: label)
    }

    /// The body's differences, when the fixture gives one: `json` by value, `form` as pairs, `body` byte for byte.
    static func bodyDifferences(_ expected: [String: JSONValue], _ actual: OutboundRequest, label: String) -> [FixtureDifference] {
        if let json = expected["json"] {
            let got: JSONValue
            do { got = try JSONValue.parse(actual.body) } catch {
                return [
                    FixtureDifference(
                        path: "\(label).json", expected: show(json),
                        actual: "a body that is not JSON: \(quote(String(decoding: actual.body.prefix(200), as: UTF8.self)))")
                ]
            }
            return differences(json, got, path: "\(label).json$")
        }
        if let form = expected["form"]?.objectValue {
            let want = form.sorted { $0.key < $1.key }.map { ($0.key, scalarText($0.value)) }
            return pairsDifferences(
                want, FormEncoding.decode(Substring(String(decoding: actual.body, as: UTF8.self))), path: "\(label).form")
        }
        if let body = expected["body"]?.stringValue, body != "{{any}}" {
            let got = String(decoding: actual.body, as: UTF8.self)
            if body != got { return [FixtureDifference(path: "\(label).body", expected: quote(body), actual: quote(got))] }
        }
        return []
    }

    /// Key/value pairs compared as multisets; `{{any}}` matches any value. Every expected
    /// pair missing, then every pair sent that the fixture does not list.
    static func pairsDifferences(_ expected: [(String, String)], _ actual: [(String, String)], path: String) -> [FixtureDifference] {
        var remaining = actual
        var found: [FixtureDifference] = []
        for (k, v) in expected {
            if let i = remaining.firstIndex(where: { $0.0 == k && (v == "{{any}}" || $0.1 == v) }) {
                remaining.remove(at: i)
            } else {
                let got = actual.first { $0.0 == k }.map { quote($0.1) } ?? "no such parameter"
                found.append(FixtureDifference(path: "\(path).\(k)", expected: quote(v), actual: got))
            }
        }
        for (k, v) in remaining where !found.contains(where: { $0.path == "\(path).\(k)" }) {
            found.append(FixtureDifference(path: "\(path).\(k)", expected: "nothing", actual: quote(v)))
        }
        return found
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
