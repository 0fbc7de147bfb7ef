import GRDB
import IntegrationRuntime
import LeadJSON

extension SQLiteStore {
    public func save(_ offer: StoredOffer) async throws(StoreError) {
        let reasons = JSONValue.array(offer.fallThrough.map(\.rawValue).sorted().map(JSONValue.string)).encoded()
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO offers (id, name, fall_through, duplicate_window, payout_amount, payout_currency, payout_on,
                                        registration_wait)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, fall_through = excluded.fall_through,
                                                   duplicate_window = excluded.duplicate_window,
                                                   payout_amount = excluded.payout_amount,
                                                   payout_currency = excluded.payout_currency, payout_on = excluded.payout_on,
                                                   registration_wait = excluded.registration_wait
                    """,
                arguments: [
                    offer.id, offer.name, reasons, offer.duplicateWindow, offer.payout?.amountText, offer.payout?.currency,
                    offer.payout?.basis.rawValue, offer.registrationWait,
                ])
        }
    }

    public func offer(id: String) async throws(StoreError) -> StoredOffer? {
        try await reading { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM offers WHERE id = ?", arguments: [id]) else { return nil }
            return try StoredRow(row: row, table: "offers").offer()
        }
    }

    public func offers() async throws(StoreError) -> [StoredOffer] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM offers ORDER BY id").map { row throws(StoreError) in
                try StoredRow(row: row, table: "offers").offer()
            }
        }
    }

    public func route(id: Int64) async throws(StoreError) -> OfferRoute? {
        try await reading { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM routes WHERE id = ?", arguments: [id]) else { return nil }
            return try StoredRow(row: row, table: "routes").route(opening: self.sealer)
        }
    }

    public func removeRoute(id: Int64) async throws(StoreError) {
        let removed = try await writing { db -> Int in
            try db.execute(sql: "DELETE FROM routes WHERE id = ?", arguments: [id])
            return db.changesCount
        }
        if removed == 0 { throw .noSuchRoute(id) }
    }

    public func save(_ route: OfferRoute) async throws(StoreError) -> OfferRoute {
        var sealed = route.params
        try SealedFields.route(sealer: sealer, offerID: route.offerID, token: route.postbackToken, integration: route.integration)
            .seal(&sealed, names: route.secretParams)
        let params = JSONValue.object(sealed).encoded()
        let secrets = JSONValue.array(route.secretParams.sorted().map(JSONValue.string)).encoded()
        let countries = JSONValue.array(route.countries.sorted().map(JSONValue.string)).encoded()
        let id = try await writing { db -> Int64 in
            let arguments: StatementArguments = [
                route.offerID, route.integration, params, secrets, route.priority, route.dailyCap, countries,
                route.enabled, route.postbackToken, route.hours?.description,
                StoreText.checks(route.status.checks), route.status.intervalSeconds, route.status.windowSeconds,
                route.status.rangeSeconds, route.onApprove,
            ]
            if route.id == 0 {
                try db.execute(
                    sql: """
                        INSERT INTO routes (offer_id, integration, params, secret_params, priority, daily_cap, countries, enabled, postback_token, hours,
                                            status_checks, status_interval, status_window, status_range, on_approve)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: arguments)
                return db.lastInsertedRowID
            }
            try db.execute(
                sql: """
                    UPDATE routes SET offer_id = ?, integration = ?, params = ?, secret_params = ?, priority = ?, daily_cap = ?,
                                      countries = ?, enabled = ?, postback_token = ?, hours = ?,
                                      status_checks = ?, status_interval = ?, status_window = ?, status_range = ?,
                                      on_approve = ?
                    WHERE id = ?
                    """, arguments: arguments + [route.id])
            guard db.changesCount == 1 else { throw StoreError.noSuchRoute(route.id) }
            return route.id
        }
        var stored = route
        stored.id = id
        return stored
    }

    public func routes(offerID: String) async throws(StoreError) -> [OfferRoute] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM routes WHERE offer_id = ? ORDER BY priority, id", arguments: [offerID])
                .map { row throws(StoreError) in try StoredRow(row: row, table: "routes").route(opening: self.sealer) }
        }
    }

    public func acceptedCount(routeID: Int64, since: Double, excludingRun: String) async throws(StoreError) -> Int {
        try await reading { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM attempts
                    WHERE route_id = ? AND kind = 'accepted' AND ended_at >= ? AND COALESCE(run, '') <> ?
                      AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = attempts.lead_id AND l.is_test = 1)
                    """, arguments: [routeID, since, excludingRun]) ?? 0
        }
    }
}
