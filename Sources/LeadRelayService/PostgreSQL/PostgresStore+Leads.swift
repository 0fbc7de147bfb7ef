import IntegrationRuntime
import LeadJSON
import PostgresNIO

/// Leads on PostgreSQL, the first half of `LeadStore`: inserting (sensitive fields sealed
/// as `SQLiteStore` seals them, `SensitiveFields`) and reading back. Several processes may
/// insert at once: an `Idempotency-Key` is held to one lead per affiliate by the unique
/// index `leads_idempotency` (`ON CONFLICT DO NOTHING`, then the winner's lead is read), and
/// inserts of one offer's address take a transaction-level advisory lock on it, so the
/// duplicate check and the insert are one step for every process.
extension PostgresStore {
    public func insert(_ lead: NewLead) async throws(StoreError) -> LeadInsertion {
        let id = RandomID.uuid()
        let fields = try SensitiveFields.seal(lead.fields, leadID: id, sealer: sealer).encoded()
        // An insert that meets the key taken finds the lead that took it; only a lead removed
        // in between (retention) sends it round again.
        for _ in 0..<Self.insertTries {
            if let key = lead.idempotency,
                let earlier = try await row(
                    """
                    SELECT * FROM leads WHERE COALESCE(affiliate_id, '') = \(lead.affiliateID ?? "") AND idem_key = \(key.key)
                    """, table: "leads")
            {
                guard try earlier.nullableText("idem_digest") == key.bodyDigest else {
                    return .keyReused(existingLeadID: try earlier.text("id"))
                }
                return .replayed(try earlier.lead(opening: sealer))
            }
            if let written = try await write(lead, id: id, fields: fields) { return .inserted(try written.lead(opening: sealer)) }
        }
        throw .unavailable("PostgreSQL: the Idempotency-Key of lead \(id) was taken and its lead gone \(Self.insertTries) times")
    }

    /// How many times `insert` looks for the lead that took its key before giving up.
    static let insertTries = 5

    /// Writes `lead` as a new row (rejected when refused, or found a duplicate in its
    /// offer's window); nil when its `Idempotency-Key` is taken meanwhile.
    private func write(_ lead: NewLead, id: String, fields: String) async throws(StoreError) -> PostgresColumns? {
        let addresses = Self.addressLocks(lead, schema: location.schema)
        if addresses.isEmpty {
            return try await row(Self.insertion(lead, id: id, fields: fields, rejection: lead.rejection), table: "leads")
        }
        return try await transaction { transaction in
            // One order for every process, so two inserts never wait for each other's second lock.
            for address in addresses {
                _ = try await transaction.rows("SELECT pg_advisory_xact_lock(hashtextextended(\(address), 0))", table: "leads")
            }
            var rejection = lead.rejection
            if rejection == nil, let since = lead.duplicateSince,
                try await transaction.row(
                    Self.newestDuplicate(offerID: lead.offerID, email: lead.duplicateEmail, phone: lead.duplicatePhone, since: since),
                    table: "leads") != nil
            {
                rejection = NewLead.duplicate
            }
            return try await transaction.row(Self.insertion(lead, id: id, fields: fields, rejection: rejection), table: "leads")
        }
    }

    /// The advisory locks an insert of `lead` takes, sorted: one per address the duplicate
    /// check compares (the offer's e-mail address, its phone number), in this schema.
    private static func addressLocks(_ lead: NewLead, schema: String) -> [String] {
        var locks: [String] = []
        if let email = lead.duplicateEmail { locks.append("\(schema)/leads/\(lead.offerID)/email/\(email)") }
        if let phone = lead.duplicatePhone { locks.append("\(schema)/leads/\(lead.offerID)/phone/\(phone)") }
        return locks.sorted()
    }

    /// The `INSERT` of a new lead, returning its row; none when its key is taken.
    private static func insertion(_ lead: NewLead, id: String, fields: String, rejection: Outcome?) -> PostgresQuery {
        let outcome = rejection?.json.encoded()
        let state = rejection == nil ? "pending" : "rejected"
        let dueAt = rejection == nil ? lead.receivedAt : nil
        return """
            INSERT INTO leads (id, offer_id, affiliate_id, fields, dup_email, dup_phone, idem_key, idem_digest,
                               is_test, state, attempt, due_at, outcome, received_at, updated_at, action)
            VALUES (\(id), \(lead.offerID), \(lead.affiliateID), \(fields), \(lead.duplicateEmail), \(lead.duplicatePhone),
                    \(lead.idempotency?.key), \(lead.idempotency?.bodyDigest), \(lead.isTest), \(state), 0, \(dueAt),
                    \(outcome), \(lead.receivedAt), \(lead.receivedAt), \(lead.action.rawValue))
            ON CONFLICT ((COALESCE(affiliate_id, '')), idem_key) WHERE idem_key IS NOT NULL DO NOTHING
            RETURNING *
            """
    }

    public func lead(id: String) async throws(StoreError) -> StoredLead? {
        try await row("SELECT * FROM leads WHERE id = \(id)", table: "leads")?.lead(opening: sealer)
    }

    public func duplicate(offerID: String, email: String?, phone: String?, since: Double) async throws(StoreError) -> String? {
        try await row(Self.newestDuplicate(offerID: offerID, email: email, phone: phone, since: since), table: "leads")?.text("id")
    }

    /// The duplicate check's query, as SQLite's: per address the newest lead of the offer in
    /// the window, and of those two the later written.
    private static func newestDuplicate(offerID: String, email: String?, phone: String?, since: Double) -> PostgresQuery {
        """
        SELECT id FROM (
            (SELECT seq, id FROM leads WHERE offer_id = \(offerID) AND dup_email = \(email) AND received_at >= \(since)
             ORDER BY received_at DESC, seq DESC LIMIT 1)
            UNION ALL
            (SELECT seq, id FROM leads WHERE offer_id = \(offerID) AND dup_phone = \(phone) AND received_at >= \(since)
             ORDER BY received_at DESC, seq DESC LIMIT 1)
        ) found
        ORDER BY seq DESC LIMIT 1
        """
    }
}
