import GRDB

extension SQLiteStore {
    /// The lead fields that identify no one and stay after anonymisation (what reports group
    /// and filter by); everything else (names, e-mail, phone, address, IP, password, comment,
    /// landing page, `extra`) is cleared.
    static let keptFields = ["country", "language", "currency", "affiliate_id", "sub_id", "click_id", "funnel"]

    public func anonymise(receivedBefore: Double, now: Double, limit: Int) async throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        let kept = Self.keptFields.map { "'\($0)'" }.joined(separator: ", ")
        return try await writing { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM leads
                    WHERE anonymised_at IS NULL AND received_at < ? AND state IN ('accepted', 'rejected', 'error')
                    ORDER BY received_at LIMIT ?
                    """, arguments: [receivedBefore, limit])
            for id in ids {
                // The outcome keeps its kind, reason and the network's id; the buyer's message
                // and the auto-login address (which carry the lead's e-mail) go.
                try db.execute(
                    sql: """
                        UPDATE leads SET
                            fields = (SELECT json_group_object(key, value) FROM json_each(leads.fields) WHERE key IN (\(kept))),
                            dup_email = NULL, dup_phone = NULL, idem_digest = NULL,
                            outcome = CASE WHEN outcome IS NULL THEN NULL
                                           ELSE json_remove(outcome, '$.message', '$.redirect_url', '$.extra') END,
                            anonymised_at = ?
                        WHERE id = ?;
                        UPDATE attempts SET report = '{"anonymised":true}',
                                            outcome = json_remove(outcome, '$.message', '$.redirect_url', '$.extra')
                        WHERE lead_id = ?;
                        UPDATE status_updates SET comment = NULL WHERE lead_id = ?;
                        UPDATE lead_changes SET fields = '{}', idem_digest = NULL,
                                                outcome = CASE WHEN outcome IS NULL THEN NULL
                                                               ELSE json_remove(outcome, '$.message', '$.redirect_url', '$.extra') END
                        WHERE lead_id = ?;
                        UPDATE change_attempts SET report = '{"anonymised":true}',
                                                   outcome = json_remove(outcome, '$.message', '$.redirect_url', '$.extra')
                        WHERE change_id IN (SELECT id FROM lead_changes WHERE lead_id = ?);
                        """, arguments: [now, id, id, id, id, id])
            }
            return ids.count
        }
    }
}
