import GRDB
import IntegrationRuntime
import LeadJSON

/// The change queue's leases, as `SQLiteStore+Dispatch.swift` keeps the leads'.
extension SQLiteStore {
    public func claimDueChanges(now: Double, limit: Int, owner: String, leaseSeconds: Double) async throws(StoreError) -> [StoredChange] {
        guard limit > 0 else { return [] }
        let until = now + leaseSeconds
        return try await writing { db in
            let expired = try String.fetchAll(
                db, sql: "SELECT id FROM lead_changes WHERE state = 'sending' AND lease_until <= ? ORDER BY lease_until LIMIT ?",
                arguments: [now, limit])
            let due = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM lead_changes WHERE state IN ('pending', 'retry') AND due_at <= ? ORDER BY due_at, seq LIMIT ?
                    """, arguments: [now, limit - expired.count])
            var claimed: [StoredChange] = []
            for id in expired {
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE lead_changes SET lease_owner = ?, lease_until = ?, sent_again = 1, resending = 1, updated_at = ?
                        WHERE id = ? RETURNING *
                        """, arguments: [owner, until, now, id])
                if let row { claimed.append(try StoredRow(row: row, table: "lead_changes").change(opening: self.sealer)) }
            }
            for id in due {
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE lead_changes SET state = 'sending', attempt = CASE WHEN state = 'pending' THEN 1 ELSE attempt END,
                                                due_at = NULL, lease_owner = ?, lease_until = ?, updated_at = ?
                        WHERE id = ? RETURNING *
                        """, arguments: [owner, until, now, id])
                if let row { claimed.append(try StoredRow(row: row, table: "lead_changes").change(opening: self.sealer)) }
            }
            return claimed
        }
    }

    public func completeChange(_ attempt: AttemptRecord, state: DeliveryState, owner: String, now: Double) async throws(StoreError) {
        let changeID = attempt.leadID
        let ending = try AttemptEnding(state, attempt: attempt, what: "an attempt of a change")
        try await writing { db in
            guard
                let resending = try Int.fetchOne(
                    db,
                    sql: "SELECT resending FROM lead_changes WHERE id = ? AND state = 'sending' AND lease_owner = ? AND attempt = ?",
                    arguments: [changeID, owner, attempt.number])
            else { throw StoreError.leaseLost(leadID: changeID, owner: owner) }
            try db.execute(
                sql: """
                    INSERT INTO change_attempts (change_id, number, integration, started_at, ended_at, outcome, report, sent_again, route_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    changeID, attempt.number, attempt.integration, attempt.startedAt, attempt.endedAt, attempt.outcome.json.encoded(),
                    attempt.encodedReport, attempt.sentAgain || resending != 0, attempt.routeID,
                ])
            try db.execute(
                sql: """
                    UPDATE lead_changes SET state = ?, attempt = ?, due_at = ?, lease_owner = NULL, lease_until = NULL,
                                            resending = 0, outcome = ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [ending.word, ending.next, ending.dueAt, attempt.outcome.json.encoded(), now, changeID])
        }
    }

    public func releaseChanges(_ changeIDs: [String], owner: String, dueAt: Double, now: Double) async throws(StoreError) {
        try await releaseLeased(.leadChanges, changeIDs, owner: owner, dueAt: dueAt, now: now)
    }

    public func renewChangeLeases(_ changeIDs: [String], owner: String, until: Double) async throws(StoreError) {
        try await renewLeased(.leadChanges, changeIDs, owner: owner, until: until)
    }
}
