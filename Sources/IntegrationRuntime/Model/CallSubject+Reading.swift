import LeadJSON

extension CallSubject {
    /// The keys a call's subject is read from, by action: `lead` for the lead actions,
    /// `check` with `leads` or `from`/`to` for `status`, `inbound` for `postback`.
    public static let keys = ["lead", "check", "leads", "from", "to", "inbound"]

    /// Reads the subject of an `action` call from `fields`, under the keys a fixture holds
    /// it in (`keys`), with errors that name `file` and what is wrong. The one reader of
    /// subjects: a fixture's (`FixtureLoader`) and `leadrelay run`'s, which puts its `--lead`
    /// file under the key its action reads.
    ///
    ///     let subject = try CallSubject.read(["check": "range", "from": ..., "to": ...], for: .status, file: "lead.json")
    public static func read(_ fields: [String: JSONValue], for action: Action, file: String) throws(ScriptLoadError) -> CallSubject {
        func fail(_ m: String) -> ScriptLoadError { ScriptLoadError(file: file, message: m) }
        switch action {
        case .push, .register, .update, .approved:
            guard let lead = fields["lead"] else { throw fail("missing \"lead\" (an object) for action \(action.rawValue)") }
            guard lead.objectValue != nil else {
                throw fail("\"lead\" must be a JSON object for action \(action.rawValue), not \(lead.encoded())")
            }
            return .lead(lead)
        case .status:
            guard let word = fields["check"]?.stringValue, let check = StatusCheck(rawValue: word) else {
                throw fail("a status call needs \"check\": processing, approved or range")
            }
            return .status(try readQuery(check, fields, fail))
        case .postback:
            guard let inbound = fields["inbound"], inbound.objectValue != nil else {
                throw fail("a postback call needs \"inbound\": the inbound request the network sent, as a JSON object")
            }
            return .postback(inbound: inbound)
        }
    }

    private static func readQuery(
        _ check: StatusCheck, _ fields: [String: JSONValue],
        _ fail: (String) -> ScriptLoadError
    ) throws(ScriptLoadError) -> StatusScope {
        if check == .range {
            guard let from = fields["from"]?.stringValue, let to = fields["to"]?.stringValue else {
                throw fail("a range check needs \"from\" and \"to\" (ISO 8601 UTC, such as 2025-12-31T00:00:00Z)")
            }
            for (key, text) in [("from", from), ("to", to)] where ISO8601.parse(text) == nil {
                throw fail("\"\(key)\" must be an ISO 8601 UTC time such as 2025-12-31T00:00:00Z, not \(JSONValue.string(text).encoded())")
            }
            return .range(from: from, to: to)
        }
        guard let leads = fields["leads"]?.arrayValue else {
            throw fail("a \(check.rawValue) check needs \"leads\": [{id, external_id, created_at}]")
        }
        if let i = leads.firstIndex(where: { $0.objectValue == nil }) {
            throw fail("\"leads[\(i)]\" must be an object {id, external_id, created_at}, not \(leads[i].encoded())")
        }
        return check == .processing ? .processing(leads: leads) : .approved(leads: leads)
    }
}
