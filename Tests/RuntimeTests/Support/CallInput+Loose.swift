import IntegrationRuntime
import LeadJSON

// The loose form of a call's input, for tests written before `CallSubject`: optionals
// become a subject. The product builds subjects directly (`CallSubject.read`).

extension CallInput {
    /// The optionals become a subject. An `inbound` request
    /// makes a postback subject; otherwise a `check` makes a status subject (missing `leads`
    /// become an empty list, a missing `from`/`to` an empty string); otherwise a `lead` makes a lead
    /// subject; nothing makes `.none`. Arguments the chosen subject does not hold are dropped.
    init(
        action: Action, lead: JSONValue? = nil, params: [String: JSONValue] = [:],
        offer: Offer = Offer(id: "1", name: "Test offer"), attempt: Int = 1, now: Int64,
        check: StatusCheck? = nil, leads: [JSONValue]? = nil, from: String? = nil, to: String? = nil,
        inbound: JSONValue? = nil
    ) {
        self.init(
            action: action, subject: CallSubject(lead: lead, check: check, leads: leads, from: from, to: to, inbound: inbound),
            params: params, offer: offer, attempt: attempt, now: now)
    }

}

extension CallSubject {
    /// The subject the loose optionals describe (see `CallInput`'s convenience initializer).
    init(lead: JSONValue?, check: StatusCheck?, leads: [JSONValue]?, from: String?, to: String?, inbound: JSONValue?) {
        if let inbound {
            self = .postback(inbound: inbound)
        } else if let check {
            switch check {
            case .processing: self = .status(.processing(leads: leads ?? []))
            case .approved: self = .status(.approved(leads: leads ?? []))
            case .range: self = .status(.range(from: from ?? "", to: to ?? ""))
            }
        } else if let lead {
            self = .lead(lead)
        } else {
            self = .none
        }
    }
}
