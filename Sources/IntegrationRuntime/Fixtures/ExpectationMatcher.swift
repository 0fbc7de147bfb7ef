import Host
import LeadJSON

/// Compares a call's result with a fixture's `expect`: only the listed fields are checked;
/// `message_contains` checks the message; `updates` must match in number and order, each
/// update compared on the fields the fixture lists. Every difference is named, the outcome's
/// first, then the other fields by name (an update's fields by index, then by name).
enum ExpectationMatcher {
    /// The first of `differences`: the outcome's, when it differs.
    static func difference(_ expect: [String: JSONValue], _ result: CallResult) -> FixtureDifference? {
        differences(expect, result).first
    }

    static func differences(_ expect: [String: JSONValue], _ result: CallResult) -> [FixtureDifference] {
        let actual = result.json.objectValue ?? [:]
        var found: [FixtureDifference] = []
        var keys = expect.keys.sorted().filter { $0 != "outcome" && $0 != "credentials" }
        // A call that failed when the case expects something else: its message says why.
        if let failed = result.outcome, failed.kind == .error, expect["outcome"] != .string(Outcome.Kind.error.rawValue) {
            let wanted = expect["outcome"].map(FixtureMatcher.show) ?? FixtureMatcher.show(.object(expect))
            found.append(
                FixtureDifference(path: "expect.outcome", expected: wanted, actual: "\"error\": \(failed.message ?? "(no message)")"))
            keys.removeAll { $0 == "message" || $0 == "message_contains" }
        } else if expect["outcome"] != nil {
            keys.insert("outcome", at: 0)
        }
        for key in keys {
            let want = expect[key]!
            switch key {
            case "message_contains":
                let needle = want.stringValue ?? want.encoded()
                let message = actual["message"]?.stringValue ?? ""
                if !message.contains(needle) {
                    found.append(
                        FixtureDifference(
                            path: "expect.message_contains", expected: "a message containing \(FixtureMatcher.quote(needle))",
                            actual: actual["message"].map(FixtureMatcher.show) ?? "no message (\(FixtureMatcher.show(result.json)))"))
                }
            case "updates": found += updates(want, actual["updates"], result)
            default: found += FixtureMatcher.differences(want, actual[key], path: "expect.\(key)")
            }
        }
        return found
    }

    /// The expected updates against those reported: in number, then each by index, on the
    /// fields the fixture lists.
    private static func updates(_ want: JSONValue, _ reported: JSONValue?, _ result: CallResult) -> [FixtureDifference] {
        guard let wanted = want.arrayValue else {
            return [FixtureDifference(path: "expect.updates", expected: "a list in the fixture", actual: FixtureMatcher.show(want))]
        }
        guard let got = reported?.arrayValue else {
            return [
                FixtureDifference(path: "expect.updates", expected: "\(wanted.count) update(s)", actual: FixtureMatcher.show(result.json))
            ]
        }
        var found: [FixtureDifference] = []
        if got.count != wanted.count {
            found.append(
                FixtureDifference(
                    path: "expect.updates", expected: "\(wanted.count) update(s)",
                    actual: "\(got.count): \(FixtureMatcher.show(.array(got)))"))
        }
        for (i, (w, g)) in zip(wanted, got).enumerated() {
            // An expected update that is not an object lists no field: it matches nothing.
            guard let fields = w.objectValue else {
                found.append(
                    FixtureDifference(path: "expect.updates[\(i)]", expected: "an object in the fixture", actual: FixtureMatcher.show(w)))
                continue
            }
            for field in fields.keys.sorted() {
                found += FixtureMatcher.differences(fields[field]!, g[field], path: "expect.updates[\(i)].\(field)")
            }
        }
        return found
    }
}
