import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore: ChangeStore {
    public func acceptance(leadID: String) async throws(StoreError) -> (routeID: Int64, externalID: String)? {
        try await reading { db in try Self.acceptance(db, leadID: leadID) }
    }

    public func queueUpdate(_ update: NewUpdate) async throws(StoreError) -> UpdateInsertion {
        let id = RandomID.uuid()
        let sealedChange = try SensitiveFields.seal(.object(update.fields), leadID: id, sealer: sealer)
        return try await writing { db in
            if let key = update.idempotency,
                let earlier = try Row.fetchOne(
                    db, sql: "SELECT * FROM lead_changes WHERE lead_id = ? AND idem_key = ?", arguments: [update.leadID, key.key])
            {
                let stored = StoredRow(row: earlier, table: "lead_changes")
                guard try stored.optional("idem_digest", as: String.self) == key.bodyDigest else { return .keyReused }
                return .replayed(try stored.change(opening: self.sealer))
            }
            guard let accepted = try Self.acceptance(db, leadID: update.leadID),
                let leadRow = try Row.fetchOne(db, sql: "SELECT fields FROM leads WHERE id = ?", arguments: [update.leadID])
            else { return .notDelivered }
            let fields = try SensitiveFields.open(
                StoredRow(row: leadRow, table: "leads").parsedJSON("fields"), leadID: update.leadID, sealer: self.sealer)
            let merged = Self.merged(fields, with: update.fields)
            let keys = IntakeLead(offerID: "", fields: merged.objectValue ?? [:]).duplicateKeys
            try db.execute(
                sql: "UPDATE leads SET fields = ?, dup_email = ?, dup_phone = ? WHERE id = ?",
                arguments: [
                    try SensitiveFields.seal(merged, leadID: update.leadID, sealer: self.sealer).encoded(), keys.email, keys.phone,
                    update.leadID,
                ])
            let row = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO lead_changes (id, lead_id, route_id, action, fields, idem_key, idem_digest, state, due_at,
                                              created_at, updated_at)
                    VALUES (?, ?, ?, 'update', ?, ?, ?, 'pending', ?, ?, ?) RETURNING *
                    """,
                arguments: [
                    id, update.leadID, accepted.routeID, sealedChange.encoded(), update.idempotency?.key,
                    update.idempotency?.bodyDigest, update.receivedAt, update.receivedAt, update.receivedAt,
                ])
            guard let row else { throw StoreError.unavailable("the insert of change \(id) returned no row") }
            return .queued(try StoredRow(row: row, table: "lead_changes").change(opening: self.sealer))
        }
    }

    public func change(id: String) async throws(StoreError) -> StoredChange? {
        try await reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM lead_changes WHERE id = ?", arguments: [id])
                .map { row throws(StoreError) in try StoredRow(row: row, table: "lead_changes").change(opening: self.sealer) }
        }
    }

    public func changes(leadID: String) async throws(StoreError) -> [StoredChange] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM lead_changes WHERE lead_id = ? ORDER BY seq", arguments: [leadID])
                .map { row throws(StoreError) in try StoredRow(row: row, table: "lead_changes").change(opening: self.sealer) }
        }
    }

    public func changeAttempts(leadID: String) async throws(StoreError) -> [ChangeAttempt] {
        try await reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.*, c.lead_id, c.action FROM change_attempts a JOIN lead_changes c ON c.id = a.change_id
                    WHERE c.lead_id = ? ORDER BY a.started_at, c.seq, a.number
                    """, arguments: [leadID]
            ).map { row throws(StoreError) in
                let stored = StoredRow(row: row, table: "change_attempts")
                let word: String = try stored.value("action")
                guard let action = Action(rawValue: word) else {
                    throw .corruptRow(table: "lead_changes", detail: "unknown action \(word)")
                }
                return ChangeAttempt(changeID: try stored.value("change_id"), action: action, attempt: try stored.attempt())
            }
        }
    }

    /// Queues the lead's `approved` change for its offer's enabled on-approve route, if the
    /// offer has one and the lead has none yet (run in the transaction that records the
    /// stage). A test lead (the test window's) is never sent onward: buyers see no test lead.
    static func queueApproved(_ db: Database, leadID: String, now: Double) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO lead_changes (id, lead_id, route_id, action, fields, state, due_at, created_at, updated_at)
                SELECT ?, l.id, r.id, 'approved', '{}', 'pending', ?, ?, ?
                FROM leads l JOIN routes r ON r.offer_id = l.offer_id AND r.on_approve = 1 AND r.enabled = 1
                WHERE l.id = ? AND l.is_test = 0
                """, arguments: [RandomID.uuid(), now, now, now, leadID])
    }

    /// The route that accepted the lead (its latest accepted attempt) and the network's id,
    /// while the lead is `accepted`.
    static func acceptance(_ db: Database, leadID: String) throws -> (routeID: Int64, externalID: String)? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.route_id, json_extract(a.outcome, '$.external_id') AS external_id
                    FROM attempts a JOIN leads l ON l.id = a.lead_id
                    WHERE a.lead_id = ? AND l.state = 'accepted' AND a.kind = 'accepted' AND a.route_id IS NOT NULL
                      AND json_extract(a.outcome, '$.external_id') IS NOT NULL
                    ORDER BY a.number DESC LIMIT 1
                    """, arguments: [leadID])
        else { return nil }
        let stored = StoredRow(row: row, table: "attempts")
        let external: String
        if let text = try? stored.value("external_id", as: String.self) {
            external = text
        } else {
            external = String(try stored.value("external_id", as: Int64.self))
        }
        return (try stored.value("route_id"), external)
    }

    /// `fields` with `change` laid over them: each field replaced, `extra` merged key by key.
    static func merged(_ fields: JSONValue, with change: [String: JSONValue]) -> JSONValue {
        var object = fields.objectValue ?? [:]
        for (key, value) in change {
            if key == "extra", let added = value.objectValue {
                var extra = object["extra"]?.objectValue ?? [:]
                extra.merge(added) { _, new in new }
                object["extra"] = .object(extra)
            } else {
                object[key] = value
            }
        }
        return .object(object)
    }
}

extension StoredRow {
    /// The change this `lead_changes` row holds, its sensitive fields opened.
    func change(opening sealer: SecretSealer?) throws(StoreError) -> StoredChange {
        let id: String = try value("id")
        let state = try deliveryState(of: "change \(id)")
        let word: String = try value("action")
        guard let action = Action(rawValue: word), action == .update || action == .approved else {
            throw .corruptRow(table: table, detail: "change \(id) has the unknown action \(word)")
        }
        return StoredChange(
            id: id, leadID: try value("lead_id"), routeID: try value("route_id"), action: action,
            fields: try SensitiveFields.open(parsedJSON("fields"), leadID: id, sealer: sealer), state: state,
            outcome: try outcome("outcome"), sentAgain: try value("sent_again", as: Bool.self),
            createdAt: try value("created_at"), updatedAt: try value("updated_at"))
    }
}
