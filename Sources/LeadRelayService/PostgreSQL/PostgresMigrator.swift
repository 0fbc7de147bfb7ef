import Logging
import PostgresNIO

/// Applies `PostgresSchema.migrations` not yet in `leadrelay_migrations`, each in its own
/// transaction, under a transaction-level advisory lock: processes that start together
/// wait for each other, and each version is applied once.
struct PostgresMigrator {
    let client: PostgresClient
    let schema: String
    /// The advisory lock the migrations hold (any number; this one is LeadRelay's).
    static let lockKey: Int64 = 0x4C52_4D49_4752  // "LRMIGR"

    func migrate() async throws {
        let logger = Logger(label: "leadrelay.postgres.migrations")
        for migration in PostgresSchema.migrations {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                if schema != "public" {
                    // A plain name (`PostgresLocation.isPlainName`): safe to splice.
                    try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
                }
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS leadrelay_migrations (
                        seq bigint GENERATED ALWAYS AS IDENTITY, name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                let applied = try await connection.query(
                    "SELECT 1 FROM leadrelay_migrations WHERE name = \(migration.name)", logger: logger)
                for try await _ in applied { return }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO leadrelay_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }
}
