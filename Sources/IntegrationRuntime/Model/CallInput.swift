import Host
import LeadJSON

/// Everything a call of an integration needs besides the script: the action, the lead
/// (or the leads/range of a status check, or the inbound request of a postback), the
/// offer's parameters and the clock.
public struct CallInput: Sendable {
    public var action: Action
    public var lead: JSONValue?
    public var params: [String: JSONValue]
    public var offer: Offer
    public var attempt: Int
    /// Epoch seconds; fixed in fixtures.
    public var now: Int64
    public var check: StatusCheck?
    /// For `processing`/`approved` checks: `{id, external_id, created_at}` objects.
    public var leads: [JSONValue]?
    public var from: String?
    public var to: String?
    /// For `postback`: the inbound request (contract, section 3).
    public var inbound: JSONValue?

    public init(action: Action, lead: JSONValue? = nil, params: [String: JSONValue] = [:],
                offer: Offer = Offer(id: "1", name: "Test offer"), attempt: Int = 1, now: Int64,
                check: StatusCheck? = nil, leads: [JSONValue]? = nil, from: String? = nil, to: String? = nil,
                inbound: JSONValue? = nil) {
        self.action = action
        self.lead = lead
        self.params = params
        self.offer = offer
        self.attempt = attempt
        self.now = now
        self.check = check
        self.leads = leads
        self.from = from
        self.to = to
        self.inbound = inbound
    }
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
