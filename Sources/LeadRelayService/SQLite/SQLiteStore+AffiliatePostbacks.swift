import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore: AffiliatePostbackStore {
    /// `v9-affiliate-postbacks`: `affiliates.postback_url` (the template, NULL: none);
    /// `affiliate_postbacks`, the queue (`state` due, sending, sent or failed; `due_at`: when
    /// a due postback may be claimed, or when a sending one's lease runs out; `attempts`:
    /// attempts claimed so far); `affiliate_postback_calls`, every call made (URL masked).
    static func registerAffiliatePostbacks(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-affiliate-postbacks") { db in
            try db.execute(
                sql: """
                    ALTER TABLE affiliates ADD COLUMN postback_url TEXT;
                    CREATE TABLE affiliate_postbacks (
                        id INTEGER PRIMARY KEY,
                        affiliate_id TEXT NOT NULL REFERENCES affiliates (id),
                        lead_id TEXT NOT NULL REFERENCES leads (id),
                        event TEXT NOT NULL,
                        url TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('due', 'sending', 'sent', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        due_at REAL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX affiliate_postbacks_due ON affiliate_postbacks (due_at, id) WHERE state IN ('due', 'sending');
                    CREATE INDEX affiliate_postbacks_affiliate ON affiliate_postbacks (affiliate_id, state);
                    CREATE TABLE affiliate_postback_calls (
                        seq INTEGER PRIMARY KEY,
                        postback_id INTEGER REFERENCES affiliate_postbacks (id),
                        affiliate_id TEXT NOT NULL,
                        lead_id TEXT,
                        event TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        url TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        elapsed REAL NOT NULL,
                        error TEXT,
                        result TEXT NOT NULL,
                        at REAL NOT NULL
                    );
                    CREATE INDEX affiliate_postback_calls_affiliate ON affiliate_postback_calls (affiliate_id, seq);
                    """)
        }
    }

    /// Queues the postback of `event` for the lead's affiliate, inside the transaction that
    /// made the change (`complete`, `record`, after the lead's new state or stage is written):
    /// nothing when the lead has no affiliate, the affiliate no postback URL, or the lead is a
    /// test lead. The URL is filled in now, with the values of this moment, `{payout}` too
    /// (what the lead earns after the event under its offer's payout, `Payout.postbackAmount`):
    /// a retry sends what the event said, whatever changed since.
    static func queueAffiliatePostback(_ db: Database, leadID: String, event: PostbackEvent, now: Double) throws {
        guard
            // Prepared once per connection: every delivered lead and stage change runs it.
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT l.affiliate_id, a.postback_url, json_extract(l.fields, '$.sub_id') AS sub_id,
                               json_extract(l.fields, '$.click_id') AS click_id, l.state, s.stage,
                               o.payout_amount, o.payout_currency, o.payout_on
                        FROM leads l JOIN affiliates a ON a.id = l.affiliate_id
                        LEFT JOIN lead_stages s ON s.lead_id = l.id LEFT JOIN offers o ON o.id = l.offer_id
                        WHERE l.id = ? AND a.postback_url IS NOT NULL AND l.is_test = 0
                        """), arguments: [leadID]),
            let affiliateID: String = row["affiliate_id"], let stored: String = row["postback_url"],
            let template = try? PostbackTemplate(stored: stored)
        else { return }
        // An offer row whose payout does not read is the offers' problem (reports name it):
        // the postback goes out without a payout rather than failing the delivery's write.
        let payout = try? StoredRow(row: row, table: "offers").payout()
        let stage = (row["stage"] as String?).flatMap(StatusUpdate.Stage.init(rawValue:))
        let amount = payout?.postbackAmount(accepted: row["state"] as String? == "accepted", stage: stage, isTest: false)
        let url = template.render(
            event.values(leadID: leadID, subID: text(row["sub_id"]), clickID: text(row["click_id"]), payout: amount))
        try db.execute(
            sql: """
                INSERT INTO affiliate_postbacks (affiliate_id, lead_id, event, url, state, due_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'due', ?, ?, ?)
                """, arguments: [affiliateID, leadID, event.word, url, now, now, now])
    }

    /// A lead field as text (a number as written), nil when absent.
    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .string(let text): return text
        case .int64(let number): return String(number)
        case .double(let number): return JSONValue.number(number).encoded()
        case .null, .blob: return nil
        }
    }

    public func claimAffiliatePostbacks(now: Double, limit: Int, leaseSeconds: Double) async throws(StoreError) -> [QueuedPostback] {
        guard limit > 0 else { return [] }
        return try await writing { db in
            let ids = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM affiliate_postbacks WHERE state IN ('due', 'sending') AND due_at <= ? ORDER BY due_at, id LIMIT ?",
                arguments: [now, limit])
            return try ids.compactMap { id -> QueuedPostback? in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            UPDATE affiliate_postbacks SET state = 'sending', attempts = attempts + 1, due_at = ?, updated_at = ?
                            WHERE id = ? RETURNING *
                            """, arguments: [now + leaseSeconds, now, id])
                else { return nil }
                let stored = StoredRow(row: row, table: "affiliate_postbacks")
                return QueuedPostback(
                    id: try stored.value("id"), affiliateID: try stored.value("affiliate_id"), leadID: try stored.value("lead_id"),
                    event: try stored.value("event"), url: try stored.value("url"), attempt: try stored.value("attempts"))
            }
        }
    }

    public func finishAffiliatePostback(_ call: PostbackCall, nextAt: Double?) async throws(StoreError) {
        try await writing { db in
            try Self.insert(call, db)
            guard let id = call.postbackID else { return }
            let state = call.result == .retry && nextAt != nil ? "due" : call.result == .sent ? "sent" : "failed"
            try db.execute(
                sql: """
                    UPDATE affiliate_postbacks SET state = ?, due_at = ?, updated_at = ?
                    WHERE id = ? AND state = 'sending' AND attempts = ?
                    """, arguments: [state, state == "due" ? nextAt : nil, call.at, id, call.attempt])
        }
    }

    public func recordPostbackCall(_ call: PostbackCall) async throws(StoreError) {
        try await writing { db in try Self.insert(call, db) }
    }

    public func postbackCalls(affiliateID: String, limit: Int) async throws(StoreError) -> [PostbackCall] {
        try await reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM affiliate_postback_calls WHERE affiliate_id = ? ORDER BY seq DESC LIMIT ?",
                arguments: [affiliateID, limit]
            ).map { row throws(StoreError) in
                let stored = StoredRow(row: row, table: "affiliate_postback_calls")
                let word: String = try stored.value("result")
                guard let result = PostbackResult(rawValue: word) else {
                    throw .corruptRow(table: "affiliate_postback_calls", detail: "unknown result \(word)")
                }
                return PostbackCall(
                    postbackID: try stored.optional("postback_id"), affiliateID: try stored.value("affiliate_id"),
                    leadID: try stored.optional("lead_id"), event: try stored.value("event"), attempt: try stored.value("attempt"),
                    url: try stored.value("url"), status: try stored.value("status"), elapsed: try stored.value("elapsed"),
                    error: try stored.optional("error"), result: result, at: try stored.value("at"))
            }
        }
    }

    public func waitingPostbacks(affiliateID: String) async throws(StoreError) -> Int {
        try await reading { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM affiliate_postbacks WHERE affiliate_id = ? AND state IN ('due', 'sending')",
                arguments: [affiliateID]) ?? 0
        }
    }

    public func setPostbackURL(affiliateID: String, template: String?) async throws(StoreError) -> Affiliate {
        try await writing { db -> Affiliate in
            try db.execute(sql: "UPDATE affiliates SET postback_url = ? WHERE id = ?", arguments: [template, affiliateID])
            guard db.changesCount > 0,
                let row = try Row.fetchOne(db, sql: "SELECT * FROM affiliates WHERE id = ?", arguments: [affiliateID])
            else { throw StoreError.noSuchAffiliate(affiliateID) }
            return try StoredRow(row: row, table: "affiliates").affiliate()
        }
    }

    private static func insert(_ call: PostbackCall, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO affiliate_postback_calls (postback_id, affiliate_id, lead_id, event, attempt, url, status, elapsed, error,
                                                      result, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                call.postbackID, call.affiliateID, call.leadID, call.event, call.attempt, call.url, call.status, call.elapsed,
                call.error, call.result.rawValue, call.at,
            ])
    }
}
