import GRDB
import LeadJSON

/// New offers, affiliates and employees, inserted without replacing: a taken id is
/// `StoreError.exists`, decided by the database (the admin CLI and API may run at once).
extension SQLiteStore {
    public func add(_ offer: StoredOffer) async throws(StoreError) -> StoredOffer {
        let reasons = JSONValue.array(offer.fallThrough.map(\.rawValue).sorted().map(JSONValue.string)).encoded()
        return try await writing { db -> StoredOffer in
            var stored = offer
            if stored.id.isEmpty {
                // Inside the write: no other writer takes the same number meanwhile.
                let numbers = try String.fetchAll(db, sql: "SELECT id FROM offers").compactMap { Int($0) }
                stored.id = String((numbers.max() ?? 0) + 1)
            }
            try Self.inserting("offer \(stored.id)") {
                try db.execute(
                    sql: """
                        INSERT INTO offers (id, name, fall_through, duplicate_window, payout_amount, payout_currency, payout_on,
                                            registration_wait)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        stored.id, stored.name, reasons, stored.duplicateWindow, stored.payout?.amountText,
                        stored.payout?.currency, stored.payout?.basis.rawValue, stored.registrationWait,
                    ])
            }
            return stored
        }
    }

    public func add(_ affiliate: Affiliate) async throws(StoreError) {
        let offers = StoreText.words(affiliate.offers)
        try await writing { db in
            try Self.inserting("affiliate \(affiliate.id)") {
                try db.execute(
                    sql: "INSERT INTO affiliates (id, name, offers, postback_url) VALUES (?, ?, ?, ?)",
                    arguments: [affiliate.id, affiliate.name, offers, affiliate.postbackURL])
            }
        }
    }

    public func add(_ employee: Employee) async throws(StoreError) {
        try await writing { db in
            try Self.inserting("employee \(employee.id)") {
                try db.execute(
                    sql: "INSERT INTO employees (id, name, role) VALUES (?, ?, ?)",
                    arguments: [employee.id, employee.name, employee.role.rawValue])
            }
        }
    }

    public func grant(affiliateID: String, offers: Set<String>) async throws(StoreError) -> Affiliate {
        try await writing { db -> Affiliate in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM affiliates WHERE id = ?", arguments: [affiliateID]) else {
                throw StoreError.noSuchAffiliate(affiliateID)
            }
            for offer in offers.sorted() where try Bool.fetchOne(db, sql: "SELECT 1 FROM offers WHERE id = ?", arguments: [offer]) == nil {
                throw StoreError.noSuchOffer(offer)
            }
            var affiliate = try StoredRow(row: row, table: "affiliates").affiliate()
            affiliate.offers.formUnion(offers)
            let granted = StoreText.words(affiliate.offers)
            try db.execute(sql: "UPDATE affiliates SET offers = ? WHERE id = ?", arguments: [granted, affiliateID])
            return affiliate
        }
    }

    /// Runs an insert; a primary key already taken is `exists(what)`.
    private static func inserting(_ what: String, _ insert: () throws -> Void) throws {
        do { try insert() } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw StoreError.exists(what)
        }
    }
}
