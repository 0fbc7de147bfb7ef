import Foundation
import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore {
    public func insert(_ lead: NewLead) async throws(StoreError) -> LeadInsertion {
        let id = RandomID.uuid()
        let fields = try SensitiveFields.seal(lead.fields, leadID: id, sealer: sealer)
        // Written with the inserts that come meanwhile, in one transaction; answered after
        // its commit. Each insert reads what the batch's earlier ones wrote.
        return try await inserts.run { db in
            if let key = lead.idempotency {
                let earlier = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT * FROM leads WHERE COALESCE(affiliate_id, '') = ? AND idem_key = ?
                            """), arguments: [lead.affiliateID ?? "", key.key])
                if let earlier {
                    let stored = StoredRow(row: earlier, table: "leads")
                    guard try stored.optional("idem_digest", as: String.self) == key.bodyDigest else {
                        return .keyReused(existingLeadID: try stored.value("id"))
                    }
                    return .replayed(try stored.lead(opening: self.sealer))
                }
            }
            var rejection = lead.rejection
            if rejection == nil, let since = lead.duplicateSince,
                try Self.newestDuplicate(db, offerID: lead.offerID, email: lead.duplicateEmail, phone: lead.duplicatePhone, since: since)
                    != nil
            {
                rejection = NewLead.duplicate
            }
            // Prepared once per connection (the statement cache): every lead runs these.
            let storedFields = fields.encoded()
            let storedOutcome = rejection?.json.encoded()
            try db.cachedStatement(
                sql: """
                    INSERT INTO leads (id, offer_id, affiliate_id, fields, dup_email, dup_phone, idem_key, idem_digest,
                                       is_test, state, attempt, due_at, outcome, received_at, updated_at, action)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                id, lead.offerID, lead.affiliateID, storedFields, lead.duplicateEmail, lead.duplicatePhone,
                lead.idempotency?.key, lead.idempotency?.bodyDigest, lead.isTest,
                rejection == nil ? "pending" : "rejected", rejection == nil ? lead.receivedAt : nil,
                storedOutcome, lead.receivedAt, lead.receivedAt, lead.action.rawValue,
            ])
            return .inserted(try self.written(lead, id: id, fields: storedFields, outcome: storedOutcome))
        }
    }

    /// The lead `insert` wrote, built from the values it wrote instead of read back from
    /// the row (the writer is serial: every lead inserted pays for a read by column name).
    /// The fields and the outcome go through their stored text, as a read would give them.
    private func written(_ lead: NewLead, id: String, fields: String, outcome: String?) throws(StoreError) -> StoredLead {
        func parsed(_ text: String, _ column: String) throws(StoreError) -> JSONValue {
            do { return try JSONValue.parse(text) } catch {
                throw .corruptRow(table: "leads", detail: "\(column) of lead \(id) is not JSON: \(error)")
            }
        }
        var written = StoredLead(
            id: id, offerID: lead.offerID, affiliateID: lead.affiliateID,
            fields: try SensitiveFields.open(parsed(fields, "fields"), leadID: id, sealer: sealer),
            state: outcome == nil ? .pending : .rejected,
            outcome: try outcome.map { text throws(StoreError) in
                guard let stored = Outcome(stored: try parsed(text, "outcome")) else {
                    throw .corruptRow(table: "leads", detail: "outcome of lead \(id) is not an outcome")
                }
                return stored
            }, sentAgain: false, isTest: lead.isTest, routesTried: [], receivedAt: lead.receivedAt, updatedAt: lead.receivedAt)
        written.action = lead.action
        return written
    }

    public func lead(id: String) async throws(StoreError) -> StoredLead? {
        try await reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [id])
                .map { row throws(StoreError) in try StoredRow(row: row, table: "leads").lead(opening: self.sealer) }
        }
    }

    public func duplicate(offerID: String, email: String?, phone: String?, since: Double) async throws(StoreError) -> String? {
        try await reading { db in try Self.newestDuplicate(db, offerID: offerID, email: email, phone: phone, since: since) }
    }

    /// The duplicate check's query, run by `duplicate` and inside `insert`'s transaction.
    static func newestDuplicate(_ db: Database, offerID: String, email: String?, phone: String?, since: Double) throws -> String? {
        var newest: (seq: Int64, id: String)?
        for (column, value) in [("dup_email", email), ("dup_phone", phone)] {
            guard let value else { continue }
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT seq, id FROM leads WHERE offer_id = ? AND \(column) = ? AND received_at >= ?
                        ORDER BY received_at DESC, seq DESC LIMIT 1
                        """), arguments: [offerID, value, since])
            guard let row else { continue }
            let stored = StoredRow(row: row, table: "leads")
            let seq: Int64 = try stored.value("seq")
            if newest == nil || seq > newest!.seq { newest = (seq, try stored.value("id")) }
        }
        return newest?.id
    }

    public func attempts(leadID: String) async throws(StoreError) -> [AttemptRecord] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE lead_id = ? ORDER BY number", arguments: [leadID])
                .map { row throws(StoreError) in try StoredRow(row: row, table: "attempts").attempt() }
        }
    }
}
