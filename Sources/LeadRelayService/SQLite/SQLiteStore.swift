import Foundation
import GRDB
import IntegrationRuntime

/// The default store: one SQLite file through GRDB, in WAL mode with synchronous commits
/// (`synchronous = FULL`), so a lead is on disk when `insert` returns. One writer at a
/// time (SQLite's rule); readers run beside it. Concurrent inserts share a transaction
/// (`GroupCommit`): one commit makes a whole batch durable.
///
///     let store = try SQLiteStore(path: "leadrelay.sqlite")
///     let insertion = try await store.insert(NewLead(offerID: "7", fields: lead, receivedAt: now))
public final class SQLiteStore: LeadStore, OfferStore, AccessStore, EmployeeStore {
    let pool: DatabasePool
    /// Seals secret parameters; nil: a route with secrets cannot be stored.
    let sealer: SecretSealer?
    /// The intake's inserts, written in shared transactions (group commit).
    let inserts: GroupCommit<LeadInsertion>

    /// Opens (or creates) the database at `path` and brings its schema up to date; secrets
    /// are sealed with `sealer`.
    public init(path: String, sealer: SecretSealer? = nil) throws(StoreError) {
        self.sealer = sealer
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            inserts = GroupCommit(pool: pool)
        } catch {
            throw .unavailable("\(path): \(error)")
        }
    }

    /// The schema versions applied so far, oldest first.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await reading { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: Running work

    func writing<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.write(work) } catch let error as StoreError { throw error } catch {
            throw .unavailable("\(error)")
        }
    }

    func reading<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await pool.read(work) } catch let error as StoreError { throw error } catch {
            throw .unavailable("\(error)")
        }
    }
}
