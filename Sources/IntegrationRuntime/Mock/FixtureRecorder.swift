import Host
import LeadJSON
import OutboundHTTP

/// Writes one call that ran live as a fixture (`leadrelay run --record`): its input, each
/// request it sent and the response it got, and `expect` filled from its result, so that
/// `leadrelay check` replays it and passes.
///
/// Nothing secret reaches the file: every secret parameter's value is replaced by
/// `***name***` (the parameter it came from, as `CallReport.stored` names it), in
/// `params` and wherever it appears in the requests, so the replayed script sends the
/// same masked text. Values a replay cannot reproduce are written as `"{{any}}"`: headers,
/// query and form parameters and JSON members named like a signature, a nonce or a
/// timestamp (`VolatileNames`), digests (hex strings of 32 or more digits), the call's own
/// time, and an `Authorization` or `Cookie` header holding no secret parameter (a token the
/// script got at run time). `now` is the call's time, so a timestamp derived from `ctx.now`
/// replays unchanged. A raw `body` (neither JSON nor a form) is kept as sent: a volatile
/// value inside it is not found, and the warnings say so.
public enum FixtureRecorder {
    /// The recorded fixture and what the recorder could not make replayable.
    public struct Recording: Sendable {
        public var fixture: JSONValue
        public var warnings: [String]
    }

    /// The keys of `expect` a recording fills from the result.
    static let expectKeys: Set<String> = ["outcome", "reason", "message", "external_id", "redirect_url", "retry_after", "extra", "updates"]

    /// Records `result`, the call `input` made to an integration declaring the `declared`
    /// parameters; `description` is the case's line.
    public static func record(input: CallInput, result: CallResult, declared: Set<String>, description: String) -> Recording {
        var masker = result.masker
        masker.namesSecrets = true
        var recorder = Recorder(masker: masker, now: input.now)
        var o: [String: JSONValue] = [
            "description": .string(description), "action": .string(input.action.rawValue), "now": .string(ISO8601.format(input.now)),
        ]
        var params: [String: JSONValue] = [:]
        for (name, value) in input.params where declared.contains(name) { params[name] = masker.mask(value) }
        o["params"] = .object(params)
        let subject = input.subject
        if let lead = subject.lead { o["lead"] = masker.mask(lead) }
        if let check = subject.check { o["check"] = .string(check.rawValue) }
        if let leads = subject.leads { o["leads"] = masker.mask(.array(leads)) }
        if let from = subject.from { o["from"] = .string(from) }
        if let to = subject.to { o["to"] = .string(to) }
        if let inbound = subject.inbound { o["inbound"] = masker.mask(inbound) }
        if input.action != .postback {
            o["exchanges"] = .array(
                result.exchanges.map { .object(["request": recorder.request($0.request), "response": recorder.response($0.response)]) })
        }
        var expect = (result.json.objectValue ?? [:]).filter { expectKeys.contains($0.key) }
        // An error's message names places (a port, a line) a replay may not repeat.
        if result.outcome?.kind == .error { expect["message"] = nil }
        o["expect"] = masker.mask(JSONValue.object(expect))
        if input.attempt != 1 { o["attempt"] = .integer(Int64(input.attempt)) }
        if input.test { o["test"] = .bool(true) }
        return Recording(fixture: .object(o), warnings: recorder.warnings)
    }
}
