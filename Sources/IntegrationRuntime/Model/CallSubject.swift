import LeadJSON

/// What a call is about: the one piece of input that depends on the action. Only valid
/// combinations can be written: a status check always has its scope, a range always both ends.
public enum CallSubject: Sendable, Equatable {
    /// The lead of `push`, `register`, `update` or `approved` (`ctx.lead`).
    case lead(JSONValue)
    /// A `status` check with its scope (`ctx.check` and `ctx.leads` or `ctx.from`/`ctx.to`).
    case status(StatusScope)
    /// The inbound request of a `postback` (contract, section 3), passed to `parse`.
    case postback(inbound: JSONValue)
    /// No subject. Legitimate for calls that never reach a subject-reading step (a call that
    /// fails on its parameters, or on the sandbox, before the script looks at `ctx.lead`) and
    /// for tests of how a script copes with a missing one; a `postback` without an inbound
    /// request gets `{}`, as it always did.
    case none

    /// The lead of a `.lead` subject.
    public var lead: JSONValue? {
        if case .lead(let lead) = self { return lead }
        return nil
    }

    /// The status check of a `.status` subject.
    public var check: StatusCheck? {
        if case .status(let query) = self { return query.check }
        return nil
    }

    /// The leads of a `processing` or `approved` check.
    public var leads: [JSONValue]? {
        if case .status(let query) = self { return query.leads }
        return nil
    }

    /// The start of a `range` check (ISO 8601 UTC).
    public var from: String? {
        if case .status(.range(let from, _)) = self { return from }
        return nil
    }

    /// The end of a `range` check (ISO 8601 UTC).
    public var to: String? {
        if case .status(.range(_, let to)) = self { return to }
        return nil
    }

    /// The inbound request of a `.postback` subject.
    public var inbound: JSONValue? {
        if case .postback(let inbound) = self { return inbound }
        return nil
    }
}

/// A status check with its scope (contract, section 2): which of the three checks, and the
/// leads or the date range it covers. Not a URL query.
public enum StatusScope: Sendable, Equatable {
    /// Leads still in processing: `{id, external_id, created_at}` objects.
    case processing(leads: [JSONValue])
    /// Leads to confirm as approved: `{id, external_id, created_at}` objects.
    case approved(leads: [JSONValue])
    /// Every lead created in `from...to` (ISO 8601 UTC, both ends included).
    case range(from: String, to: String)

    /// Which of the three checks this is (`ctx.check`).
    public var check: StatusCheck {
        switch self {
        case .processing: return .processing
        case .approved: return .approved
        case .range: return .range
        }
    }

    /// The leads of a `processing` or `approved` check; `nil` for a range.
    public var leads: [JSONValue]? {
        switch self {
        case .processing(let leads), .approved(let leads): return leads
        case .range: return nil
        }
    }
}
