import GRDB

extension SQLiteStore {
    /// `v11-credentials`: what scripts keep with the `credentials` module (a rotating OAuth
    /// refresh token), one row per scope (`<integration>/<offer id>`, a route's integration
    /// and offer: the cache's scope) and key. `value` is sealed with the secrets key, bound to
    /// `credential/<scope>/<key>`; `updated_at`: when it was last written (epoch seconds).
    static func registerCredentials(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-credentials") { db in
            try db.execute(
                sql: """
                    CREATE TABLE credentials (
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        updated_at REAL NOT NULL,
                        PRIMARY KEY (scope, key)
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
