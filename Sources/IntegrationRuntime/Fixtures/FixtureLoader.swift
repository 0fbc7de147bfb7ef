import Host
import LeadJSON

/// Reads fixture files, with errors that name the file and what is wrong in it.
public enum FixtureLoader {
    /// Parses one case file of `integration`.
    public static func load(bytes: [UInt8], file: String, integration: String) throws(ScriptLoadError) -> Fixture {
        let root = try JSONInputFile.parse(bytes, file: file)
        guard case .object(let o) = root else { throw ScriptLoadError(file: file, message: "a fixture must be a JSON object") }
        func fail(_ m: String) -> ScriptLoadError { ScriptLoadError(file: file, message: m) }
        try refuseUnknown(o, known: topKeys, at: "", file: file)
        try checkSubjectKeys(o, file: file)
        guard let description = o["description"]?.stringValue else { throw fail("missing \"description\" (a string)") }
        guard let word = o["action"]?.stringValue else { throw fail("missing \"action\"") }
        guard let action = Action(rawValue: word) else {
            throw fail("unknown action \"\(word)\" (known: \(Action.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var fixture = Fixture(
            file: file, integration: integration, description: description, action: action, params: [:], subject: .none,
            exchanges: [], expect: [:], now: Fixture.defaultNow, attempt: 1, offer: Offer(id: "1", name: "Test offer"))
        guard let p = o["params"] else { throw fail("missing \"params\" (an object, {} when the script needs none)") }
        guard case .object(let params) = p else { throw fail("\"params\" must be an object") }
        fixture.params = params
        // A field this action does not read would be ignored: the case would say more than it checks.
        let reads = fieldsRead(by: action, check: o["check"]?.stringValue.flatMap(StatusCheck.init(rawValue:)))
        if let stray = (CallSubject.keys + ["exchanges"]).first(where: { o[$0] != nil && !reads.contains($0) }
        ) {
            let what = action == .status ? "a \(o["check"]?.stringValue ?? "status") check" : "a \(word) case"
            throw fail(
                "\"\(stray)\" is not read by \(what) (\(action) reads \(reads.sorted().map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        fixture.subject = try CallSubject.read(o, for: action, file: file)
        if let e = o["exchanges"] {
            guard let list = e.arrayValue else { throw fail("\"exchanges\" must be a list") }
            fixture.exchanges = try list.enumerated().map { (i, x) throws(ScriptLoadError) in
                try exchange(x, at: "exchanges[\(i)]", file: file)
            }
        }
        guard let expect = o["expect"]?.objectValue, !expect.isEmpty else {
            throw fail("missing \"expect\" (an object with the fields the result must have)")
        }
        try checkExpect(expect, file: file)
        try checkExpectKeys(expect, file: file)
        try checkExpectCredentials(expect, file: file)
        fixture.expect = expect
        fixture.credentials = try credentials(o, file: file)
        if let n = o["now"] {
            guard let text = n.stringValue, let epoch = ISO8601.parse(text) else {
                throw fail("\"now\" must be an ISO 8601 UTC time such as 2026-01-01T00:00:00Z")
            }
            fixture.now = epoch
        }
        if let a = o["attempt"] {
            guard let v = a.int64Value, v >= 1 else { throw fail("\"attempt\" must be a whole number from 1") }
            fixture.attempt = Int(v)
        }
        if let test = o["test"] {
            guard case .bool(let flag) = test else { throw fail("\"test\" must be true or false") }
            fixture.test = flag
        }
        if let offer = o["offer"] {
            guard let id = offer["id"].flatMap({ $0.stringValue ?? $0.int64Value.map(String.init) }) else {
                throw fail("\"offer\" must be {\"id\": ..., \"name\": ...}")
            }
            if let name = offer["name"], name.stringValue == nil { throw fail("\"offer\": \"name\" must be a string") }
            fixture.offer = Offer(id: id, name: offer["name"]?.stringValue ?? "")
        }
        return fixture
    }

    /// The input fields a case of `action` reads (contract, section 6).
    static func fieldsRead(by action: Action, check: StatusCheck?) -> Set<String> {
        switch action {
        case .push, .register, .update, .approved: return ["lead", "exchanges"]
        case .status:
            switch check {
            case .range: return ["check", "from", "to", "exchanges"]
            case .processing, .approved: return ["check", "leads", "exchanges"]
            case nil: return ["check", "leads", "from", "to", "exchanges"]
            }
        case .postback: return ["inbound"]
        }
    }
}
