import LeadJSON

/// A stored lead in AlterCPA's words: stage, status text, comment.
struct AlterCPAView {
    let lead: EmulatedLead
    let now: Double

    static func words(_ state: LeadState) -> (stage: String, status: String, comment: String?) {
        switch state {
        case .new: ("wait", "New", nil)
        case .noAnswer: ("hold", "No answer", "call again later")
        case .deposited: ("approve", "Approved", nil)
        case .rejected: ("cancel", "Cancelled", "customer refused")
        }
    }

    var json: JSONValue {
        let w = Self.words(lead.state(at: now))
        var row: [String: JSONValue] = [
            "id": .integer(Int64(lead.id) ?? 0), "stage": .string(w.stage), "status": .string(w.status),
            "time": .integer(Int64(lead.stateSince(at: now))),
        ]
        if let uid = lead.fields["uid"] { row["uid"] = .string(uid) }
        if let comment = w.comment { row["comment"] = .string(comment) }
        return .object(row)
    }
}
