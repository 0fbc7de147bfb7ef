import GRDB
import IntegrationRuntime

/// Redelivering changes held in `error`, as `SQLiteStore+Redelivery.swift` does leads.
extension SQLiteStore {
    public func heldChanges(_ which: HeldLeads) async throws(StoreError) -> [HeldChange] {
        let (condition, arguments) = Self.heldChangeCondition(which)
        return try await reading { db in try Self.heldChanges(db, condition, arguments) }
    }

    public func redeliverChanges(_ which: HeldLeads, now: Double) async throws(StoreError) -> [HeldChange] {
        let (condition, arguments) = Self.heldChangeCondition(which)
        return try await writing { db in
            let held = try Self.heldChanges(db, condition, arguments)
            for change in held {
                try db.execute(
                    sql: """
                        UPDATE lead_changes SET state = 'retry', attempt = attempt + 1, due_at = ?, updated_at = ?
                        WHERE id = ? AND state = 'error'
                        """, arguments: [now, now, change.id])
            }
            return held
        }
    }

    private static func heldChanges(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> [HeldChange] {
        try Row.fetchAll(
            db,
            sql: "SELECT c.id, c.lead_id, c.action FROM lead_changes c JOIN leads l ON l.id = c.lead_id WHERE \(condition) ORDER BY c.seq",
            arguments: arguments
        ).map { row throws(StoreError) in
            let stored = StoredRow(row: row, table: "lead_changes")
            let word: String = try stored.value("action")
            guard let action = Action(rawValue: word) else { throw .corruptRow(table: "lead_changes", detail: "unknown action \(word)") }
            return HeldChange(id: try stored.value("id"), leadID: try stored.value("lead_id"), action: action)
        }
    }

    /// The WHERE clause of `which` over `lead_changes c JOIN leads l`, with its arguments.
    static func heldChangeCondition(_ which: HeldLeads) -> (String, StatementArguments) {
        // An anonymised lead has no personal fields left to send; a test lead is never sent again.
        var clauses = ["c.state = 'error'", "l.anonymised_at IS NULL", "l.is_test = 0"]
        var arguments: StatementArguments = []
        if let offer = which.offerID {
            clauses.append("l.offer_id = ?")
            arguments += [offer]
        }
        if let from = which.from {
            clauses.append("c.created_at >= ?")
            arguments += [from]
        }
        if let to = which.to {
            clauses.append("c.created_at < ?")
            arguments += [to]
        }
        if let integration = which.integration {
            // The integration of the route the change goes to; of its last attempt when the route was removed.
            clauses.append(
                """
                COALESCE((SELECT integration FROM routes WHERE routes.id = c.route_id),
                         (SELECT integration FROM change_attempts a WHERE a.change_id = c.id ORDER BY a.number DESC LIMIT 1)) = ?
                """)
            arguments += [integration]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }
}
