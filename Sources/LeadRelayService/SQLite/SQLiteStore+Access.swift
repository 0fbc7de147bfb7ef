import Foundation
import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore {
    public func save(_ affiliate: Affiliate) async throws(StoreError) {
        let offers = StoreText.words(affiliate.offers)
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO affiliates (id, name, offers, postback_url) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, offers = excluded.offers, postback_url = excluded.postback_url
                    """, arguments: [affiliate.id, affiliate.name, offers, affiliate.postbackURL])
        }
    }

    public func affiliate(id: String) async throws(StoreError) -> Affiliate? {
        try await reading { db -> Affiliate? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM affiliates WHERE id = ?", arguments: [id]) else { return nil }
            return try StoredRow(row: row, table: "affiliates").affiliate()
        }
    }

    public func affiliates() async throws(StoreError) -> [Affiliate] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM affiliates ORDER BY id").map { row throws(StoreError) in
                try StoredRow(row: row, table: "affiliates").affiliate()
            }
        }
    }

    public func issueKey(
        affiliateID: String, permissions: Set<KeyPermission>, allowlist: [IPRange], expiresAt: Double, rate: RateLimit?
    ) async throws(StoreError) -> (APIKey, KeyToken) {
        let issue = KeyIssue(idPrefix: APIKey.idPrefix, expiresAt: expiresAt)
        let key = APIKey(
            id: issue.id, affiliateID: affiliateID, permissions: permissions, allowlist: allowlist, expiresAt: issue.expiresAt,
            rate: rate)
        let granted = StoreText.words(permissions.map(\.rawValue))
        let ranges = StoreText.ranges(allowlist)
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, affiliate_id, digest, permissions, allowlist, expires_at, rate) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [issue.id, affiliateID, issue.digest, granted, ranges, issue.expiresAt, rate?.text])
        }
        return (key, issue.token)
    }

    public func key(digest: String) async throws(StoreError) -> APIKey? {
        try await reading { db -> APIKey? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE digest = ?", arguments: [digest]) else { return nil }
            return try StoredRow(row: row, table: "api_keys").apiKey()
        }
    }

    public func keys(affiliateID: String?) async throws(StoreError) -> [APIKey] {
        try await reading { db in
            let rows =
                if let affiliateID {
                    try Row.fetchAll(db, sql: "SELECT * FROM api_keys WHERE affiliate_id = ? ORDER BY id", arguments: [affiliateID])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY affiliate_id, id")
                }
            return try rows.map { row throws(StoreError) in try StoredRow(row: row, table: "api_keys").apiKey() }
        }
    }

    public func extendKey(id: String, until: Double) async throws(StoreError) {
        try await changeKey(id, sql: "UPDATE api_keys SET expires_at = ? WHERE id = ?", arguments: [until, id])
    }

    public func revokeKey(id: String, at: Double) async throws(StoreError) {
        try await changeKey(id, sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ?", arguments: [at, id])
    }

    /// Runs `sql` on the key `id` (an affiliate's or an employee's); `noSuchKey` when it
    /// changed no row.
    func changeKey(_ id: String, sql: String, arguments: StatementArguments) async throws(StoreError) {
        let changed = try await writing { db -> Int in
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
        if changed == 0 { throw .noSuchKey(id) }
    }
}
