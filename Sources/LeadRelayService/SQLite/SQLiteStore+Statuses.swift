import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore: StatusStore {
    public func checkable(
        routeID: Int64, check: StatusCheck, acceptedSince: Double, after cursor: CheckedLead?, limit: Int
    ) async throws(StoreError) -> [CheckedLead] {
        guard check != .range, limit > 0 else { return [] }
        let stageFilter =
            check == .approved
            ? "s.stage = 'approve'"
            : "(s.stage IS NULL OR s.stage NOT IN ('approve', 'cancel', 'trash'))"
        return try await reading { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.lead_id, json_extract(a.outcome, '$.external_id') AS external_id, a.ended_at, l.received_at
                    FROM attempts a
                    JOIN leads l ON l.id = a.lead_id
                    LEFT JOIN lead_stages s ON s.lead_id = a.lead_id
                    WHERE a.route_id = ? AND a.kind = 'accepted' AND a.ended_at >= ?
                      AND (a.ended_at > ? OR (a.ended_at = ? AND a.lead_id > ?))
                      AND json_extract(a.outcome, '$.external_id') IS NOT NULL AND \(stageFilter)
                    ORDER BY a.ended_at, a.lead_id
                    LIMIT ?
                    """,
                arguments: [
                    routeID, acceptedSince, cursor?.acceptedAt ?? -1, cursor?.acceptedAt ?? -1, cursor?.id ?? "", limit,
                ])
            return try rows.map { row throws(StoreError) in
                let stored = StoredRow(row: row, table: "attempts")
                return CheckedLead(
                    id: try stored.value("lead_id"), externalID: try stored.value("external_id"),
                    createdAt: try stored.value("received_at"), acceptedAt: try stored.value("ended_at"))
            }
        }
    }

    public func record(
        _ updates: [StatusUpdate], routeID: Int64, source: StatusSource, now: Double
    ) async throws(StoreError) -> StatusRecording {
        guard !updates.isEmpty else { return StatusRecording() }
        return try await writing { db in
            var recording = StatusRecording()
            for update in updates {
                guard let leadID = try Self.acceptedLead(db, routeID: routeID, update: update) else {
                    recording.unknown.append(update.externalID ?? update.leadID ?? "")
                    continue
                }
                var entry = StatusEntry(
                    leadID: leadID, routeID: routeID, source: source, externalID: update.externalID, stage: update.stage,
                    status: update.status, comment: update.comment, amount: update.amount, currency: update.currency,
                    at: update.at.flatMap(ISO8601.parse).map(Double.init), receivedAt: now)
                let history = try Self.entries(db, leadID: leadID)
                if StageRule.isDuplicate(entry, in: history.map(\.entry)) {
                    recording.duplicates += 1
                    continue
                }
                let current = try Self.currentEntry(db, leadID: leadID)
                entry.applied = StageRule.applies(entry, over: current)
                try Self.insert(entry, db)
                recording.stored += 1
                guard entry.applied else { continue }
                try db.execute(
                    sql: """
                        INSERT INTO lead_stages (lead_id, stage, update_seq, changed_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (lead_id) DO UPDATE SET stage = excluded.stage, update_seq = excluded.update_seq,
                                                            changed_at = excluded.changed_at
                        """, arguments: [leadID, entry.stage.rawValue, db.lastInsertedRowID, now])
                if current?.stage != entry.stage {
                    recording.changes.append(StageChange(leadID: leadID, from: current?.stage, to: entry.stage))
                    try Self.queueAffiliatePostback(db, leadID: leadID, event: .stage(entry.stage), now: now)
                    // The fourth sending case: an approved lead goes on to the offer's on-approve route.
                    if entry.stage == .approve { try Self.queueApproved(db, leadID: leadID, now: now) }
                }
            }
            return recording
        }
    }

    public func statusHistory(leadID: String) async throws(StoreError) -> LeadStatusHistory {
        try await reading { db in
            let stage = try String.fetchOne(db, sql: "SELECT stage FROM lead_stages WHERE lead_id = ?", arguments: [leadID])
            let read: StatusUpdate.Stage?
            if let stage {
                guard let known = StatusUpdate.Stage(rawValue: stage) else {
                    throw StoreError.corruptRow(table: "lead_stages", detail: "lead \(leadID) has the unknown stage \(stage)")
                }
                read = known
            } else {
                read = nil
            }
            return LeadStatusHistory(stage: read, entries: try Self.entries(db, leadID: leadID).map(\.entry))
        }
    }

    public func route(postbackToken: String) async throws(StoreError) -> OfferRoute? {
        try await reading { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM routes WHERE postback_token = ?", arguments: [postbackToken])
            else { return nil }
            return try StoredRow(row: row, table: "routes").route(opening: self.sealer)
        }
    }

    // MARK: Rows

    /// The lead `routeID` accepted under the update's network id, else under its LeadRelay id.
    private static func acceptedLead(_ db: Database, routeID: Int64, update: StatusUpdate) throws -> String? {
        if let external = update.externalID,
            let id = try String.fetchOne(
                db,
                sql: """
                    SELECT lead_id FROM attempts
                    WHERE route_id = ? AND json_extract(outcome, '$.external_id') = ? AND kind = 'accepted'
                    """, arguments: [routeID, external])
        {
            return id
        }
        guard let leadID = update.leadID else { return nil }
        return try String.fetchOne(
            db, sql: "SELECT lead_id FROM attempts WHERE route_id = ? AND lead_id = ? AND kind = 'accepted'",
            arguments: [routeID, leadID])
    }

    private static func entries(_ db: Database, leadID: String) throws -> [(seq: Int64, entry: StatusEntry)] {
        try Row.fetchAll(db, sql: "SELECT * FROM status_updates WHERE lead_id = ? ORDER BY seq", arguments: [leadID]).map {
            row throws(StoreError) in
            let stored = StoredRow(row: row, table: "status_updates")
            return (try stored.value("seq"), try entry(stored))
        }
    }

    private static func currentEntry(_ db: Database, leadID: String) throws -> StatusEntry? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT u.* FROM lead_stages s JOIN status_updates u ON u.seq = s.update_seq WHERE s.lead_id = ?",
                arguments: [leadID])
        else { return nil }
        return try entry(StoredRow(row: row, table: "status_updates"))
    }

    private static func insert(_ entry: StatusEntry, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO status_updates (lead_id, route_id, source, external_id, stage, status, comment, amount, currency, at,
                                            received_at, applied)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.leadID, entry.routeID, entry.source.rawValue, entry.externalID, entry.stage.rawValue, entry.status,
                entry.comment, entry.amount, entry.currency, entry.at, entry.receivedAt, entry.applied,
            ])
    }

    private static func entry(_ stored: StoredRow) throws(StoreError) -> StatusEntry {
        let stageWord: String = try stored.value("stage")
        let sourceWord: String = try stored.value("source")
        guard let stage = StatusUpdate.Stage(rawValue: stageWord), let source = StatusSource(rawValue: sourceWord) else {
            throw .corruptRow(table: "status_updates", detail: "stage \(stageWord) or source \(sourceWord) is unknown")
        }
        return StatusEntry(
            leadID: try stored.value("lead_id"), routeID: try stored.value("route_id"), source: source,
            externalID: try stored.optional("external_id"), stage: stage, status: try stored.optional("status"),
            comment: try stored.optional("comment"), amount: try stored.optional("amount"), currency: try stored.optional("currency"),
            at: try stored.optional("at"), receivedAt: try stored.value("received_at"), applied: try stored.value("applied", as: Bool.self))
    }
}
