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

    /// The offer row's payout, nil when none is set; a half-set or unreadable one is corrupt.
    static func payout(_ stored: StoredRow) throws(StoreError) -> Payout? {
        let amount: String? = try stored.optional("payout_amount")
        let currency: String? = try stored.optional("payout_currency")
        let basis: String? = try stored.optional("payout_on")
        if amount == nil && currency == nil && basis == nil { return nil }
        guard let amount, let currency, let basis else {
            throw .corruptRow(table: "offers", detail: "payout_amount, payout_currency and payout_on are not all set")
        }
        do { return try Payout.parse(amount: amount, currency: currency, basis: basis) } catch {
            throw .corruptRow(table: "offers", detail: "the payout does not read: \(error.detail)")
        }
    }
}
