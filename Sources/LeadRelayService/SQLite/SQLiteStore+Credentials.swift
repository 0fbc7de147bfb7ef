import Foundation
import GRDB
import IntegrationRuntime

/// The service's `CredentialStore`: the `credentials` table (`v11-credentials`), each value
/// sealed with the secrets key and bound to its scope and key, so the database file never
/// holds one in clear and a value copied to another row does not open. A compare-and-set
/// reads and writes in one transaction, so of two calls rotating the same token one wins.
///
/// The calls are synchronous (a hook's host function cannot wait): a read takes a reader
/// connection, a write the one writer, waiting at most the store's busy timeout (10 s)
/// when another process holds it. Scripts write only when they rotate a token, so the
/// writer is rarely taken for this.
extension SQLiteStore: CredentialStore {
    public func credential(_ key: String, in scope: String) throws(CredentialStoreError) -> String? {
        let sealed: String?
        do {
            sealed = try pool.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM credentials WHERE scope = ? AND key = ?", arguments: [scope, key])
            }
        } catch {
            throw CredentialStoreError("\(scope): '\(key)' cannot be read: \(error)")
        }
        return try sealed.map { (s: String) throws(CredentialStoreError) -> String in try self.openCredential(s, key, scope) }
    }

    public func setCredential(_ key: String, to value: String?, in scope: String, ifCurrent expected: CredentialExpectation)
        throws(CredentialStoreError) -> Bool
    {
        let sealedValue = try value.map { (v: String) throws(CredentialStoreError) -> String in try self.sealCredential(v, key, scope) }
        let now = Date().timeIntervalSince1970
        do {
            return try pool.write { db -> Bool in
                let stored = try String.fetchOne(
                    db, sql: "SELECT value FROM credentials WHERE scope = ? AND key = ?", arguments: [scope, key])
                if expected != .anything {
                    let current = try stored.map { (s: String) throws -> String in try self.openCredential(s, key, scope) }
                    guard expected.matches(current) else { return false }
                }
                guard let sealedValue else {
                    try db.execute(sql: "DELETE FROM credentials WHERE scope = ? AND key = ?", arguments: [scope, key])
                    return true
                }
                if stored == nil {
                    let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credentials WHERE scope = ?", arguments: [scope]) ?? 0
                    if count >= CredentialLimits.entriesPerScope { throw CredentialStoreError.full(scope, adding: key) }
                }
                try db.execute(
                    sql: """
                        INSERT INTO credentials (scope, key, value, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                        """,
                    arguments: [scope, key, sealedValue, now])
                return true
            }
        } catch let error as CredentialStoreError {
            throw error
        } catch {
            throw CredentialStoreError("\(scope): '\(key)' cannot be written: \(error)")
        }
    }

    /// Where a credential is sealed to: its scope and key.
    static func credentialContext(_ key: String, _ scope: String) -> String { "credential/\(scope)/\(key)" }

    private func sealCredential(_ value: String, _ key: String, _ scope: String) throws(CredentialStoreError) -> String {
        guard let sealer else { throw CredentialStoreError("\(scope): no secrets key to seal '\(key)'") }
        do { return try sealer.seal(value, context: Self.credentialContext(key, scope)) } catch {
            throw CredentialStoreError("\(scope): '\(key)': \(error.reason)")
        }
    }

    private func openCredential(_ sealed: String, _ key: String, _ scope: String) throws(CredentialStoreError) -> String {
        guard let sealer else { throw CredentialStoreError("\(scope): no secrets key to open '\(key)'") }
        do { return try sealer.open(sealed, context: Self.credentialContext(key, scope)) } catch {
            throw CredentialStoreError("\(scope): '\(key)': \(error.reason)")
        }
    }
}
