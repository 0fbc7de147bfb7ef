import Host
import LeadJSON

/// Everything a call of an integration needs besides the script: the action, its subject
/// (the lead, the scope of a status check, or the inbound request of a postback), the
/// offer's parameters and the clock.
public struct CallInput: Sendable {
    public var action: Action
    /// What the call is about.
    public var subject: CallSubject
    public var params: [String: JSONValue]
    public var offer: Offer
    public var attempt: Int
    /// Epoch seconds; fixed in fixtures.
    public var now: Int64
    /// A test call (the service's test window): `ctx.test` is true, so a script can pass the
    /// network's own test flag and the buyer sees no real lead.
    public var test: Bool
    /// Where the `credentials` module keeps its values for this call (scoped to the
    /// integration and offer); nil: the module raises. `check` gives each case a
    /// `MemoryCredentialStore`, `run` a `FileCredentialStore`, the service its SQLite store.
    public var credentials: (any CredentialStore)?

    public init(
        action: Action, subject: CallSubject, params: [String: JSONValue] = [:],
        offer: Offer = Offer(id: "1", name: "Test offer"), attempt: Int = 1, now: Int64, test: Bool = false,
        credentials: (any CredentialStore)? = nil
    ) {
        self.test = test
        self.credentials = credentials
        self.action = action
        self.subject = subject
        self.params = params
        self.offer = offer
        self.attempt = attempt
        self.now = now
    }

    /// The lead of a lead subject.
    public var lead: JSONValue? { subject.lead }
    /// The status check of a status subject.
    public var check: StatusCheck? { subject.check }
    /// For `processing`/`approved` checks: `{id, external_id, created_at}` objects.
    public var leads: [JSONValue]? { subject.leads }
    /// The start of a range check.
    public var from: String? { subject.from }
    /// The end of a range check.
    public var to: String? { subject.to }
    /// For `postback`: the inbound request (contract, section 3).
    public var inbound: JSONValue? { subject.inbound }
}

/// The offer a lead is delivered for.
public struct Offer: Sendable, Equatable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
