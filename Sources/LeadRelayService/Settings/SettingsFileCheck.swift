import Foundation
import LeadJSON

/// Checks a configuration file before swift-configuration reads it: a JSON object whose keys
/// (nested objects give dotted names) are all known, so that a typo such as `http.prot` is an
/// error naming it, with the nearest known key, instead of a setting silently left at its
/// default.
enum SettingsFileCheck {
    static func check(_ path: String) throws(SettingsError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, detail: "cannot read it (missing, or not readable by this user)")
        }
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch { throw .unreadableFile(path: path, detail: "not JSON: \(error)") }
        guard case .object(let members) = value else {
            throw .unreadableFile(path: path, detail: "must hold a JSON object, such as {\"http\": {\"port\": 8080}}")
        }
        let known = Set(SettingKey.all.map(\.name))
        for name in leafNames(members, prefix: "") where !known.contains(name) {
            throw .unknownKey(name, file: path, suggestion: nearest(name, in: known))
        }
    }

    /// The dotted names of the leaves under `members`; an object at a known key's place is
    /// a leaf too (so it reads as a wrong value, not as unknown keys).
    static func leafNames(_ members: [String: JSONValue], prefix: String) -> [String] {
        let known = Set(SettingKey.all.map(\.name))
        var names: [String] = []
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let dotted = prefix.isEmpty ? name : "\(prefix).\(name)"
            if case .object(let inner) = value, !known.contains(dotted), !name.isEmpty {
                names += inner.isEmpty ? [dotted] : leafNames(inner, prefix: dotted)
            } else {
                names.append(dotted)
            }
        }
        return names
    }

    /// The known key closest to `name` by edit distance, when it is close (a typo).
    static func nearest(_ name: String, in known: Set<String>) -> String? {
        var best: (name: String, score: Int)?
        for candidate in known.sorted() {
            let score = distance(Array(name), Array(candidate))
            if score < best?.score ?? Int.max { best = (candidate, score) }
        }
        guard let best, best.score <= max(2, name.count / 4) else { return nil }
        return best.name
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
