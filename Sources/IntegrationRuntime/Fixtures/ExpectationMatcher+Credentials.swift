import LeadJSON

extension ExpectationMatcher {
    /// `expect.credentials` (**Extension**) against what the case left in its credential
    /// store: each listed key must hold the listed string (`null`: nothing stored,
    /// `"{{any}}"`: anything stored); keys not listed are not checked.
    static func credentialDifferences(_ expect: [String: JSONValue], _ stored: [String: String]) -> [FixtureDifference] {
        guard let wanted = expect["credentials"]?.objectValue else { return [] }
        var found: [FixtureDifference] = []
        for key in wanted.keys.sorted() {
            let want = wanted[key]!
            let path = "expect.credentials.\(key)"
            guard let value = stored[key] else {
                if want != .null {
                    found.append(FixtureDifference(path: path, expected: FixtureMatcher.show(want), actual: "nothing stored"))
                }
                continue
            }
            if want == .null {
                found.append(FixtureDifference(path: path, expected: "nothing stored", actual: FixtureMatcher.show(.string(value))))
                continue
            }
            found += FixtureMatcher.differences(want, .string(value), path: path)
        }
        return found
    }
}
