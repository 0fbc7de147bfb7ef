import Host
import LeadJSON

/// The keys a fixture may hold, at every level, and the words its `expect` may use. A key
/// the format does not know is a load error naming its path and the known key it is closest
/// to (`expect.externalid: unknown key; did you mean external_id?`): a typo must not load as
/// a case that checks less than it says (docs/script-contract.md, "Fixtures").
extension FixtureLoader {
    /// The top level; `$schema` (an editor's pointer to docs/fixture.schema.json) is allowed and ignored.
    static let topKeys: Set<String> = Set(
        [
            "$schema", "description", "action", "params", "exchanges", "expect", "now", "attempt", "offer", "test", "credentials",
        ] + CallSubject.keys)
    /// The lead's fields (docs/script-contract.md, "The lead"); anything else goes under `extra`.
    static let leadKeys: Set<String> = [
        "id", "created_at", "first_name", "last_name", "email", "phone", "country", "language", "ip", "password", "address",
        "items", "currency", "affiliate_id", "sub_id", "click_id", "funnel", "landing_url", "comment", "external_id", "extra",
    ]
    /// One lead of a `processing` or `approved` status check.
    static let statusLeadKeys: Set<String> = ["id", "external_id", "created_at"]
    static let offerKeys: Set<String> = ["id", "name"]
    /// The inbound request of a postback.
    static let inboundKeys: Set<String> = ["method", "url", "path", "query", "headers", "body", "form", "json", "ip"]
    /// An outcome's fields, `updates`, and `message_contains`.
    static let expectKeys: Set<String> = [
        "outcome", "reason", "message", "message_contains", "external_id", "redirect_url", "retry_after", "extra", "updates",
        "credentials",
    ]
    /// The known fields of an update. A script may add its own (kept as they are), so an
    /// expected update may list any key, except one a typo away from a known field.
    static let updateKeys: Set<String> = ["external_id", "lead_id", "stage", "status", "comment", "amount", "currency", "at"]

    /// `path.key`, or `key` at the top level.
    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// Refuses the first key of `o` (in name order) that `known` lacks.
    static func refuseUnknown(_ o: [String: JSONValue], known: Set<String>, at path: String, file: String) throws(ScriptLoadError) {
        guard let unknown = o.keys.sorted().first(where: { !known.contains($0) }) else { return }
        let hint =
            NearestName.among(known, to: unknown).map { "; did you mean \($0)?" }
            ?? " (known: \(known.filter { $0 != "$schema" }.sorted().joined(separator: ", ")))"
        throw ScriptLoadError(file: file, message: "\(join(path, unknown)): unknown key\(hint)")
    }

    /// Refuses a key of `o` that `known` lacks but that is a typo away from one of them.
    static func refuseNearMisses(_ o: [String: JSONValue], known: Set<String>, at path: String, file: String) throws(ScriptLoadError) {
        for key in o.keys.sorted() where !known.contains(key) {
            if let near = NearestName.among(known, to: key) {
                throw ScriptLoadError(file: file, message: "\(join(path, key)): unknown key; did you mean \(near)?")
            }
        }
    }

    /// The keys of the subject's objects: `lead`, each of `leads`, `inbound`, `offer`.
    static func checkSubjectKeys(_ o: [String: JSONValue], file: String) throws(ScriptLoadError) {
        if let lead = o["lead"]?.objectValue { try refuseUnknown(lead, known: leadKeys, at: "lead", file: file) }
        for (i, item) in (o["leads"]?.arrayValue ?? []).enumerated() {
            if let lead = item.objectValue { try refuseUnknown(lead, known: statusLeadKeys, at: "leads[\(i)]", file: file) }
        }
        if let inbound = o["inbound"]?.objectValue { try refuseUnknown(inbound, known: inboundKeys, at: "inbound", file: file) }
        if let offer = o["offer"]?.objectValue { try refuseUnknown(offer, known: offerKeys, at: "offer", file: file) }
    }

    /// `expect`'s keys, its outcome and reason words, and each expected update's keys and stage.
    static func checkExpectKeys(_ expect: [String: JSONValue], file: String) throws(ScriptLoadError) {
        try refuseUnknown(expect, known: expectKeys, at: "expect", file: file)
        try checkWord(expect["outcome"], Outcome.Kind.allCases.map(\.rawValue), "an outcome", at: "expect.outcome", file: file)
        try checkWord(expect["reason"], Outcome.Reason.allCases.map(\.rawValue), "a reason", at: "expect.reason", file: file)
        for (i, update) in (expect["updates"]?.arrayValue ?? []).enumerated() {
            guard let fields = update.objectValue else { continue }
            try refuseNearMisses(fields, known: updateKeys, at: "expect.updates[\(i)]", file: file)
            try checkWord(
                fields["stage"], StatusUpdate.Stage.allCases.map(\.rawValue), "a stage", at: "expect.updates[\(i)].stage", file: file)
        }
    }

    /// A word the result can only hold from `words` (`"{{any}}"` matches any).
    private static func checkWord(_ value: JSONValue?, _ words: [String], _ what: String, at path: String, file: String)
        throws(ScriptLoadError)
    {
        guard let value, value != FixtureMatcher.any else { return }
        if let word = value.stringValue, words.contains(word) { return }
        let hint = value.stringValue.flatMap { NearestName.among(words, to: $0) }.map { "; did you mean \($0)?" } ?? ""
        throw ScriptLoadError(
            file: file, message: "\(path): \(value.encoded()) is not \(what) (known: \(words.joined(separator: ", ")))\(hint)")
    }
}

extension FixtureLoader {
    /// A fixture's `params` against what the script declares: a parameter it does not
    /// declare would be ignored (a misspelled name leaves the real one at its default).
    public static func checkParams(_ fixture: Fixture, declaredBy manifest: IntegrationManifest, script: String) throws(ScriptLoadError) {
        let declared = manifest.params.map(\.name)
        guard let name = fixture.params.keys.sorted().first(where: { !declared.contains($0) }) else { return }
        let hint =
            NearestName.among(declared, to: name).map { "; did you mean \($0)?" }
            ?? " (declared: \(declared.isEmpty ? "none" : declared.sorted().joined(separator: ", ")))"
        throw ScriptLoadError(file: fixture.file, message: "params.\(name): not a parameter \(script) declares\(hint)")
    }
}
