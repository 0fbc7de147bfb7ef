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
            var claimed: [StoredLead] = []
            for id in expired {
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            UPDATE leads SET lease_owner = ?, lease_until = ?, sent_again = 1, resending = 1, updated_at = ?
                            WHERE id = ? RETURNING *
                            """), arguments: [owner, until, now, id])
                if let row { claimed.append(try StoredRow(row: row, table: "leads").lead(opening: self.sealer)) }
            }
            for id in due {
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            UPDATE leads SET state = 'sending', attempt = CASE WHEN state = 'pending' THEN 1 ELSE attempt END,
                                             due_at = NULL, lease_owner = ?, lease_until = ?, updated_at = ?
                            WHERE id = ? RETURNING *
                            """), arguments: [owner, until, now, id])
                if let row { claimed.append(try StoredRow(row: row, table: "leads").lead(opening: self.sealer)) }
            }
            return claimed
        }
    }

    public func complete(_ attempt: AttemptRecord, state: DeliveryState, owner: String, now: Double) async throws(StoreError) {
        let word = try Self.stateWord(state, leadID: attempt.leadID)
        try await writing { db in try Self.writeCompletion(db, attempt, state: state, word: word, owner: owner, now: now) }
    }

    /// Every completion in one transaction (one commit, one `fsync`); the leads whose lease
    /// was lost are left out, each written alone or not at all.
    public func complete(_ completions: [Completion], owner: String, now: Double) async throws(StoreError) -> Set<String> {
        guard !completions.isEmpty else { return [] }
        var words: [String] = []
        for completion in completions { words.append(try Self.stateWord(completion.state, leadID: completion.attempt.leadID)) }
        return try await writing { [words] db in
            var lost: Set<String> = []
            for (completion, word) in zip(completions, words) {
                do {
                    try Self.writeCompletion(db, completion.attempt, state: completion.state, word: word, owner: owner, now: now)
                } catch StoreError.leaseLost(let leadID, _) {
                    lost.insert(leadID)  // checked before anything of it was written
                }
            }
            return lost
        }
    }

    /// The stored word for a state an attempt ends in.
    private static func stateWord(_ state: DeliveryState, leadID: String) throws(StoreError) -> String {
        switch state {
        case .accepted: "accepted"
        case .rejected: "rejected"
        case .error: "error"
        case .retry: "retry"
        case .pending, .sending:
            throw .invalidState(leadID: leadID, detail: "an attempt ends final or in retry, not \(state)")
        }
    }

    /// Records `attempt` and moves its lead to `state`, if the lead is still leased to
    /// `owner` under that attempt (checked first: `leaseLost` leaves nothing written).
    /// The statements are prepared once per connection: every delivered lead runs them.
    private static func writeCompletion(
        _ db: Database, _ attempt: AttemptRecord, state: DeliveryState, word: String, owner: String, now: Double
    ) throws {
        let (dueAt, next): (Double?, Int)
        if case .retry(let at, let number) = state { (dueAt, next) = (at, number) } else { (dueAt, next) = (nil, attempt.number) }
        let held = try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT resending FROM leads WHERE id = ? AND state = 'sending' AND lease_owner = ? AND attempt = ?
                    """), arguments: [attempt.leadID, owner, attempt.number])
        guard let resending = held else { throw StoreError.leaseLost(leadID: attempt.leadID, owner: owner) }
        try db.cachedStatement(
            sql: """
                INSERT INTO attempts (lead_id, number, integration, started_at, ended_at, outcome, report, sent_again, route_id, kind, run)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            attempt.leadID, attempt.number, attempt.integration, attempt.startedAt, attempt.endedAt,
            attempt.outcome.json.encoded(), attempt.report.encoded(), attempt.sentAgain || resending != 0,
            attempt.routeID, attempt.outcome.kind.rawValue, attempt.run,
        ])
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
        ).execute(arguments: [word, next, dueAt, attempt.outcome.json.encoded(), now, attempt.leadID])
        if let event = PostbackEvent(finalState: state) {
            try queueAffiliatePostback(db, leadID: attempt.leadID, event: event, now: now)
        }
    }

    public func release(_ leadIDs: [String], owner: String, dueAt: Double, now: Double) async throws(StoreError) {
        guard !leadIDs.isEmpty else { return }
        try await writing { db in
            for id in leadIDs {
                try db.execute(
                    sql: """
                        UPDATE leads SET state = 'retry', due_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
                        WHERE id = ? AND state = 'sending' AND lease_owner = ?
                        """, arguments: [dueAt, now, id, owner])
            }
        }
    }

    public func renewLeases(_ leadIDs: [String], owner: String, until: Double) async throws(StoreError) {
        guard !leadIDs.isEmpty else { return }
        try await writing { db in
            for id in leadIDs {
                try db.execute(
                    sql: "UPDATE leads SET lease_until = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?",
                    arguments: [until, id, owner])
            }
        }
    }
}
