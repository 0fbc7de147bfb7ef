import IntegrationRuntime
import LeadJSON

/// Leads as both stores keep them: the same columns, the same JSON texts, the same sealing
/// of the sensitive fields (`SensitiveFields`), read back here once.
extension StoreColumns {
    /// The delivery state in the row's `state`, `attempt` and `due_at` (a lead's or a
    /// change's); `what` names the row in the error.
    func deliveryState(of what: String) throws(StoreError) -> DeliveryState {
        let attempt = Int(try integer("attempt"))
        switch try text("state") {
        case "pending": return .pending
        case "sending": return .sending(attempt: attempt)
        case "retry": return .retry(at: try number("due_at"), attempt: attempt)
        case "accepted": return .accepted
        case "rejected": return .rejected
        case "error": return .error
        case let other: throw .corruptRow(table: table, detail: "\(what) has the unknown state \(other)")
        }
    }

    /// The outcome kept as JSON in `column`; nil when NULL.
    func outcome(_ column: String) throws(StoreError) -> Outcome? {
        guard try nullableText(column) != nil else { return nil }
        guard let outcome = Outcome(stored: try parsedJSON(column)) else {
            throw .corruptRow(table: table, detail: "\(column) is not an outcome")
        }
        return outcome
    }

    /// The lead this `leads` row holds, its sensitive fields opened with `sealer`.
    func lead(opening sealer: SecretSealer?) throws(StoreError) -> StoredLead {
        let id = try text("id")
        let state = try deliveryState(of: "lead \(id)")
        let actionWord = try text("action")
        guard let action = Action(rawValue: actionWord), action == .push || action == .register else {
            throw .corruptRow(table: table, detail: "lead \(id) has the unknown action \(actionWord)")
        }
        var lead = StoredLead(
            id: id, offerID: try text("offer_id"), affiliateID: try nullableText("affiliate_id"),
            fields: try SensitiveFields.open(parsedJSON("fields"), leadID: id, sealer: sealer),
            state: state, outcome: try outcome("outcome"), sentAgain: try flag("sent_again"), isTest: try flag("is_test"),
            routesTried: (try parsedJSON("routes_tried").arrayValue ?? []).compactMap { $0.doubleValue.map { Int64($0) } },
            receivedAt: try number("received_at"), updatedAt: try number("updated_at"))
        lead.action = action
        return lead
    }
}
