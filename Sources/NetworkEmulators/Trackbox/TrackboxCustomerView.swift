import LeadJSON

/// A stored lead as a Trackbox pull answers it.
struct TrackboxCustomerView {
    let lead: EmulatedLead
    let now: Double

    var json: JSONValue {
        let state = lead.state(at: now)
        let call: String =
            switch state {
            case .new: "New"
            case .noAnswer, .deposited: "No Answer"
            case .rejected: "Not Interested"
            }
        var customer: [String: JSONValue] = [
            "uniqueid": .string(lead.id), "email": .string(lead.email), "call_status": .string(call),
            "depositor": .integer(lead.depositedAt(now) == nil ? 0 : 1),
            "updated": .string(EmulatorFormat.spaced(lead.stateSince(at: now))),
            "created": .string(EmulatorFormat.spaced(lead.createdAt)),
        ]
        if let ftd = lead.depositedAt(now) { customer["first_depositDate"] = .string(EmulatorFormat.spaced(ftd)) }
        var tracking: [String: JSONValue] = [:]
        for key in ["MPC_1", "MPC_2", "MPC_3", "so", "sub"] {
            if let value = lead.fields[key] { tracking[key] = .string(value) }
        }
        return .object(["customerData": .object(customer), "tracking": .object(tracking)])
    }
}
