import GRDB

extension SQLiteStore {
    public func held(_ which: HeldLeads) async throws(StoreError) -> [String] {
        let (condition, arguments) = Self.heldCondition(which)
        return try await reading { db in
            try String.fetchAll(db, sql: "SELECT id FROM leads WHERE \(condition) ORDER BY seq", arguments: arguments)
        }
    }

    public func redeliver(_ which: HeldLeads, now: Double) async throws(StoreError) -> [String] {
        let (condition, arguments) = Self.heldCondition(which)
        return try await writing { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM leads WHERE \(condition) ORDER BY seq", arguments: arguments)
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE leads SET state = 'retry', attempt = attempt + 1, due_at = ?, updated_at = ?
                        WHERE id = ? AND state = 'error'
                        """, arguments: [now, now, id])
            }
            return ids
        }
    }

    /// The WHERE clause of `which` over `leads`, with its arguments.
    static func heldCondition(_ which: HeldLeads) -> (String, StatementArguments) {
        // An anonymised lead has no personal fields left to send; a test lead is never sent again.
        var clauses = ["state = 'error'", "anonymised_at IS NULL", "is_test = 0"]
        var arguments: StatementArguments = []
        if let offer = which.offerID {
            clauses.append("offer_id = ?")
            arguments += [offer]
        }
        if let from = which.from {
            clauses.append("received_at >= ?")
            arguments += [from]
        }
        if let to = which.to {
            clauses.append("received_at < ?")
            arguments += [to]
        }
        if let integration = which.integration {
            // The integration of the lead's last attempt.
            clauses.append(
                """
                (SELECT integration FROM attempts WHERE attempts.lead_id = leads.id ORDER BY number DESC LIMIT 1) = ?
                """)
            arguments += [integration]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }
}
