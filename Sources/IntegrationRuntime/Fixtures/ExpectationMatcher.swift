import Host
import LeadJSON

/// Compares a call's result with a fixture's `expect`: only the listed fields are checked;
/// `message_contains` checks the message; `updates` must match in number and order, each
/// update compared on the fields the fixture lists.
enum ExpectationMatcher {
    static func difference(_ expect: [String: JSONValue], _ result: CallResult) -> FixtureDifference? {
        let actual = result.json.objectValue ?? [:]
        // A call that failed when the case expects something else: its message says why.
        if let failed = result.outcome, failed.kind == .error, expect["outcome"] != .string(Outcome.Kind.error.rawValue) {
            let wanted = expect["outcome"].map(FixtureMatcher.show) ?? FixtureMatcher.show(.object(expect))
            return FixtureDifference(
                path: "expect.outcome", expected: wanted,
                actual: "\"error\": \(failed.message ?? "(no message)")")
        }
        for key in expect.keys.sorted() {
            let want = expect[key]!
            switch key {
            case "message_contains":
                let needle = want.stringValue ?? want.encoded()
                let message = actual["message"]?.stringValue ?? ""
                if !message.contains(needle) {
                    return FixtureDifference(
                        path: "expect.message_contains", expected: "a message containing \(FixtureMatcher.quote(needle))",
                        actual: actual["message"].map(FixtureMatcher.show) ?? "no message (\(FixtureMatcher.show(result.json)))")
                }
            case "updates":
                guard let wanted = want.arrayValue else {
                    return FixtureDifference(path: "expect.updates", expected: "a list in the fixture", actual: FixtureMatcher.show(want))
                }
                guard let got = actual["updates"]?.arrayValue else {
                    return FixtureDifference(
                        path: "expect.updates", expected: "\(wanted.count) update(s)", actual: FixtureMatcher.show(result.json))
                }
                if got.count != wanted.count {
                    return FixtureDifference(
                        path: "expect.updates", expected: "\(wanted.count) update(s)",
                        actual: "\(got.count): \(FixtureMatcher.show(.array(got)))")
                }
                for (i, (w, g)) in zip(wanted, got).enumerated() {
                    // An expected update that is not an object lists no field: it matches nothing.
                    guard let fields = w.objectValue else {
                        return FixtureDifference(
                            path: "expect.updates[\(i)]", expected: "an object in the fixture", actual: FixtureMatcher.show(w))
                    }
                    for field in fields.keys.sorted() {
                        if let d = FixtureMatcher.difference(fields[field]!, g[field], path: "expect.updates[\(i)].\(field)") { return d }
                    }
                }
            default:
                if let d = FixtureMatcher.difference(want, actual[key], path: "expect.\(key)") { return d }
            }
        }
        return nil
    }
}
