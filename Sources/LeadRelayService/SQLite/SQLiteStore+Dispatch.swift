import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore {
    public func backlog(now: Double) async throws(StoreError) -> LeadBacklog {
        try await reading { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM leads WHERE state IN ('pending', 'retry') AND due_at <= ?) AS due,
                           (SELECT count(*) FROM leads WHERE state IN ('pending', 'retry') AND due_at > ?) AS scheduled,
                           (SELECT count(*) FROM leads WHERE state = 'sending') AS sending
                    """, arguments: [now, now])
            return LeadBacklog(due: row?["due"] ?? 0, scheduled: row?["scheduled"] ?? 0, sending: row?["sending"] ?? 0)
        }
    }

    public func claimDue(now: Double, limit: Int, owner: String, leaseSeconds: Double) async throws(StoreError) -> [StoredLead] {
        guard limit > 0 else { return [] }
        let until = now + leaseSeconds
        return try await writing { db in
            // Leads whose process died while sending first: they waited longest.
            let expired = try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id FROM leads WHERE state = 'sending' AND lease_until <= ? ORDER BY lease_until LIMIT ?
                        """), arguments: [now, limit])
            let due = try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id FROM leads WHERE state IN ('pending', 'retry') AND due_at <= ? ORDER BY due_at, seq LIMIT ?
                        """), arguments: [now, limit - expired.count])
            // One UPDATE for each kind, whatever the number of leads (the ids passed as a JSON
            // array); its rows come back in no set order, so they are put back in the SELECT's.
            var rows: [String: Row] = [:]
            if !expired.isEmpty {
                for row in try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            UPDATE leads SET lease_owner = ?, lease_until = ?, sent_again = 1, resending = 1, updated_at = ?
                            WHERE id IN (SELECT value FROM json_each(?)) RETURNING *
                            """), arguments: [owner, until, now, Self.jsonArray(expired)])
                {
                    rows[row["id"]] = row
                }
            }
            if !due.isEmpty {
                for row in try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            UPDATE leads SET state = 'sending', attempt = CASE WHEN state = 'pending' THEN 1 ELSE attempt END,
                                             due_at = NULL, lease_owner = ?, lease_until = ?, updated_at = ?
                            WHERE id IN (SELECT value FROM json_each(?)) RETURNING *
                            """), arguments: [owner, until, now, Self.jsonArray(due)])
                {
                    rows[row["id"]] = row
                }
            }
            var claimed: [StoredLead] = []
            claimed.reserveCapacity(rows.count)
            for id in expired + due {
                if let row = rows[id] { claimed.append(try StoredRow(row: row, table: "leads").lead(opening: self.sealer)) }
            }
            return claimed
        }
    }

    /// `ids` as a JSON array of strings, for `json_each(?)`.
    static func jsonArray(_ ids: [String]) -> String {
        JSONValue.array(ids.map { .string($0) }).encoded()
    }

    public func complete(_ attempt: AttemptRecord, state: DeliveryState, owner: String, now: Double) async throws(StoreError) {
        let ending = try AttemptEnding(state, attempt: attempt, what: "an attempt")
        try await writing { db in try Self.writeCompletion(db, attempt, state: state, ending: ending, owner: owner, now: now) }
    }

    /// Every completion in one transaction (one commit, one `fsync`); the leads whose lease
    /// was lost are left out, each written alone or not at all.
    public func complete(_ completions: [Completion], owner: String, now: Double) async throws(StoreError) -> Set<String> {
        guard !completions.isEmpty else { return [] }
        var endings: [AttemptEnding] = []
        for completion in completions {
            endings.append(try AttemptEnding(completion.state, attempt: completion.attempt, what: "an attempt"))
        }
        return try await writing { [endings] db in
            var lost: Set<String> = []
            for (completion, ending) in zip(completions, endings) {
                do {
                    try Self.writeCompletion(db, completion.attempt, state: completion.state, ending: ending, owner: owner, now: now)
                } catch StoreError.leaseLost(let leadID, _) {
                    lost.insert(leadID)  // checked before anything of it was written
                }
            }
            return lost
        }
    }

    /// Records `attempt` and moves its lead to `state`, if the lead is still leased to
    /// `owner` under that attempt (checked by the first statement: `leaseLost` leaves
    /// nothing written).
    /// The statements are prepared once per connection: every delivered lead runs them.
    private static func writeCompletion(
        _ db: Database, _ attempt: AttemptRecord, state: DeliveryState, ending: AttemptEnding, owner: String, now: Double
    ) throws {
        // The attempt is inserted only while the lead is leased to `owner` under this attempt
        // (one statement for the check and the insert): no row inserted, nothing written.
        try db.cachedStatement(
            sql: """
                INSERT INTO attempts (lead_id, number, integration, started_at, ended_at, outcome, report, sent_again, route_id, kind, run)
                SELECT id, ?, ?, ?, ?, ?, ?, ? OR resending != 0, ?, ?, ?
                FROM leads WHERE id = ? AND state = 'sending' AND lease_owner = ? AND attempt = ?
                """
        ).execute(arguments: [
            attempt.number, attempt.integration, attempt.startedAt, attempt.endedAt,
            attempt.outcome.json.encoded(), attempt.encodedReport, attempt.sentAgain,
            attempt.routeID, attempt.outcome.kind.rawValue, attempt.run,
            attempt.leadID, owner, attempt.number,
        ])
        guard db.changesCount == 1 else { throw StoreError.leaseLost(leadID: attempt.leadID, owner: owner) }
        if let route = attempt.routeID, attempt.outcome.kind == .rejected {
            try db.execute(
                sql: "UPDATE leads SET routes_tried = json_insert(routes_tried, '$[#]', ?) WHERE id = ?",
                arguments: [route, attempt.leadID])
        }
        try db.cachedStatement(
            sql: """
                UPDATE leads SET state = ?, attempt = ?, due_at = ?, lease_owner = NULL, lease_until = NULL,
                                 resending = 0, outcome = ?, updated_at = ?
                WHERE id = ?
                """
        ).execute(arguments: [ending.word, ending.next, ending.dueAt, attempt.outcome.json.encoded(), now, attempt.leadID])
        if let event = PostbackEvent(finalState: state) {
            try queueAffiliatePostback(db, leadID: attempt.leadID, event: event, now: now)
        }
    }

    public func release(_ leadIDs: [String], owner: String, dueAt: Double, now: Double) async throws(StoreError) {
        try await releaseLeased(.leads, leadIDs, owner: owner, dueAt: dueAt, now: now)
    }

    public func renewLeases(_ leadIDs: [String], owner: String, until: Double) async throws(StoreError) {
        try await renewLeased(.leads, leadIDs, owner: owner, until: until)
    }

    /// The tables whose rows are leased to a dispatcher: leads and changes of delivered leads.
    enum LeasedTable: String {
        case leads
        case leadChanges = "lead_changes"
    }

    /// Gives back rows of `table` leased to `owner` that it did not start: each is due again
    /// at `dueAt`, in `retry`, its attempt number kept.
    func releaseLeased(_ table: LeasedTable, _ ids: [String], owner: String, dueAt: Double, now: Double) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        try await writing { db in
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE \(table.rawValue) SET state = 'retry', due_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
                        WHERE id = ? AND state = 'sending' AND lease_owner = ?
                        """, arguments: [dueAt, now, id, owner])
            }
        }
    }

    /// Moves the lease of rows of `table` still leased to `owner` to `until`.
    func renewLeased(_ table: LeasedTable, _ ids: [String], owner: String, until: Double) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        try await writing { db in
            for id in ids {
                try db.execute(
                    sql: "UPDATE \(table.rawValue) SET lease_until = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?",
                    arguments: [until, id, owner])
            }
        }
    }
}
