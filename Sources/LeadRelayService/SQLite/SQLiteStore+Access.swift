import Foundation
import GRDB
import LeadJSON

extension SQLiteStore {
    public func save(_ affiliate: Affiliate) async throws(StoreError) {
        let offers = JSONValue.array(affiliate.offers.sorted().map(JSONValue.string)).encoded()
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO affiliates (id, name, offers) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, offers = excluded.offers
                    """, arguments: [affiliate.id, affiliate.name, offers])
        }
    }

    public func affiliate(id: String) async throws(StoreError) -> Affiliate? {
        try await reading { db -> Affiliate? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM affiliates WHERE id = ?", arguments: [id]) else { return nil }
            let stored = StoredRow(row: row, table: "affiliates")
            return Affiliate(
                id: try stored.value("id"), name: try stored.value("name"),
                offers: Set((try stored.json("offers").arrayValue ?? []).compactMap(\.stringValue)))
        }
    }

    public func issueKey(affiliateID: String, permissions: Set<KeyPermission>, allowlist: [IPRange], expiresAt: Double)
        async throws(StoreError) -> (APIKey, KeyToken)
    {
        let token = KeyToken.generate()
        let key = APIKey(
            id: "key_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16), affiliateID: affiliateID,
            permissions: permissions, allowlist: allowlist, expiresAt: expiresAt)
        let granted = JSONValue.array(permissions.map(\.rawValue).sorted().map(JSONValue.string)).encoded()
        let ranges = JSONValue.array(allowlist.map { .array([.string($0.from), .string($0.to)]) }).encoded()
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, affiliate_id, digest, permissions, allowlist, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [key.id, affiliateID, token.digest, granted, ranges, expiresAt])
        }
        return (key, token)
    }

    public func key(digest: String) async throws(StoreError) -> APIKey? {
        try await reading { db -> APIKey? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE digest = ?", arguments: [digest]) else { return nil }
            let stored = StoredRow(row: row, table: "api_keys")
            var permissions: Set<KeyPermission> = []
            for word in try stored.json("permissions").arrayValue ?? [] {
                guard let permission = word.stringValue.flatMap(KeyPermission.init(rawValue:)) else {
                    throw StoreError.corruptRow(table: "api_keys", detail: "permissions holds \(word.encoded())")
                }
                permissions.insert(permission)
            }
            var allowlist: [IPRange] = []
            for pair in try stored.json("allowlist").arrayValue ?? [] {
                let ends = pair.arrayValue?.compactMap(\.stringValue) ?? []
                guard ends.count == 2, let range = IPRange(from: ends[0], to: ends[1]) else {
                    throw StoreError.corruptRow(table: "api_keys", detail: "allowlist holds \(pair.encoded())")
                }
                allowlist.append(range)
            }
            return APIKey(
                id: try stored.value("id"), affiliateID: try stored.value("affiliate_id"), permissions: permissions,
                allowlist: allowlist, expiresAt: try stored.value("expires_at"), revokedAt: try stored.optional("revoked_at"))
        }
    }

    public func extendKey(id: String, until: Double) async throws(StoreError) {
        try await changeKey(id, sql: "UPDATE api_keys SET expires_at = ? WHERE id = ?", arguments: [until, id])
    }

    public func revokeKey(id: String, at: Double) async throws(StoreError) {
        try await changeKey(id, sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ?", arguments: [at, id])
    }

    private func changeKey(_ id: String, sql: String, arguments: StatementArguments) async throws(StoreError) {
        let changed = try await writing { db -> Int in
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount
        }
        if changed == 0 { throw .noSuchKey(id) }
    }
}
