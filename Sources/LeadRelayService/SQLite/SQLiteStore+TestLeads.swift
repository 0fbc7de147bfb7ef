import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore: TestLeadStore {
    public func storeTestLead(id: String, _ lead: NewLead, attempt: AttemptRecord, state: DeliveryState) async throws(StoreError) {
        let word: String
        switch state {
        case .accepted: word = "accepted"
        case .rejected: word = "rejected"
        case .error: word = "error"
        default: throw .invalidState(leadID: id, detail: "a test lead is stored accepted, rejected or error, not \(state)")
        }
        let fields = try SensitiveFields.seal(lead.fields, leadID: id, sealer: sealer)
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO leads (id, offer_id, affiliate_id, fields, is_test, state, attempt, outcome, received_at, updated_at,
                                       action)
                    VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, lead.offerID, lead.affiliateID, fields.encoded(), word, attempt.number, attempt.outcome.json.encoded(),
                    lead.receivedAt, attempt.endedAt, lead.action.rawValue,
                ])
            try db.execute(
                sql: """
                    INSERT INTO attempts (lead_id, number, integration, started_at, ended_at, outcome, report, sent_again, route_id,
                                          kind, run)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [
                    id, attempt.number, attempt.integration, attempt.startedAt, attempt.endedAt, attempt.outcome.json.encoded(),
                    attempt.encodedReport, attempt.routeID, attempt.outcome.kind.rawValue, attempt.run,
                ])
        }
    }
}
