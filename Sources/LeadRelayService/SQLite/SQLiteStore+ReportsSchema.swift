import GRDB

extension SQLiteStore {
    /// `v8-reports`: the offer's payout (`payout_amount` as decimal text, `payout_currency`,
    /// `payout_on`: accepted or approved; all NULL: none), when a lead was anonymised by the
    /// retention period (`leads.anonymised_at`), and the index the reports' date range reads.
    static func registerReports(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-reports") { db in
            try db.execute(
                sql: """
                    ALTER TABLE offers ADD COLUMN payout_amount TEXT;
                    ALTER TABLE offers ADD COLUMN payout_currency TEXT;
                    ALTER TABLE offers ADD COLUMN payout_on TEXT;
                    ALTER TABLE leads ADD COLUMN anonymised_at REAL;
                    CREATE INDEX leads_received ON leads (received_at, seq);
                    CREATE INDEX leads_anonymise ON leads (received_at) WHERE anonymised_at IS NULL;
                    """)
        }
    }
}
