import IntegrationRuntime
import LeadJSON
import PostgresNIO

/// Offers and their routes (`OfferStore`) on PostgreSQL: a route's secret parameters are
/// sealed as `SQLiteStore` seals them (`SealedFields.route`), so a value sealed by one store
/// opens in the other under the same key.
extension PostgresStore {
    public func save(_ offer: StoredOffer) async throws(StoreError) {
        let reasons = StoreText.reasons(offer.fallThrough)
        try await execute(
            """
            INSERT INTO offers (id, name, fall_through, duplicate_window, payout_amount, payout_currency, payout_on, registration_wait)
            VALUES (\(offer.id), \(offer.name), \(reasons), \(offer.duplicateWindow), \(offer.payout?.amountText),
                    \(offer.payout?.currency), \(offer.payout?.basis.rawValue), \(offer.registrationWait))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, fall_through = excluded.fall_through,
                duplicate_window = excluded.duplicate_window, payout_amount = excluded.payout_amount,
                payout_currency = excluded.payout_currency, payout_on = excluded.payout_on,
                registration_wait = excluded.registration_wait
            """)
    }

    public func add(_ offer: StoredOffer) async throws(StoreError) -> StoredOffer {
        let reasons = StoreText.reasons(offer.fallThrough)
        if !offer.id.isEmpty {
            try await execute(
                """
                INSERT INTO offers (id, name, fall_through, duplicate_window, payout_amount, payout_currency, payout_on, registration_wait)
                VALUES (\(offer.id), \(offer.name), \(reasons), \(offer.duplicateWindow), \(offer.payout?.amountText),
                        \(offer.payout?.currency), \(offer.payout?.basis.rawValue), \(offer.registrationWait))
                """, inserting: "offer \(offer.id)")
            return offer
        }
        // The next number is taken by the INSERT itself; two adds at once that take the same
        // one meet at the primary key, and the one that loses takes the next one (a loss
        // means another add succeeded, so this ends).
        for _ in 0..<Self.numberingTries {
            do throws(StoreError) {
                guard
                    let row = try await row(
                        """
                        INSERT INTO offers (id, name, fall_through, duplicate_window, payout_amount, payout_currency, payout_on,
                                            registration_wait)
                        SELECT (COALESCE(max(CASE WHEN id ~ '^[+-]?[0-9]{1,18}$' THEN id::bigint END), 0) + 1)::text,
                               \(offer.name), \(reasons), \(offer.duplicateWindow), \(offer.payout?.amountText),
                               \(offer.payout?.currency), \(offer.payout?.basis.rawValue), \(offer.registrationWait)
                        FROM offers
                        RETURNING id
                        """, table: "offers", inserting: "offer")
                else { throw StoreError.unavailable("PostgreSQL: the new offer came back without an id") }
                var stored = offer
                stored.id = try row.text("id")
                return stored
            } catch .exists { continue }
        }
        throw .unavailable("PostgreSQL: no free offer number after \(Self.numberingTries) tries (offers added at once)")
    }

    /// How many times `add` takes the next number before giving up.
    static let numberingTries = 50

    public func offer(id: String) async throws(StoreError) -> StoredOffer? {
        try await row("SELECT * FROM offers WHERE id = \(id)", table: "offers")?.offer()
    }

    public func offers() async throws(StoreError) -> [StoredOffer] {
        try await rows("SELECT * FROM offers ORDER BY id", table: "offers").map { row throws(StoreError) in try row.offer() }
    }

    public func save(_ route: OfferRoute) async throws(StoreError) -> OfferRoute {
        var sealed = route.params
        try SealedFields.route(sealer: sealer, offerID: route.offerID, token: route.postbackToken, integration: route.integration)
            .seal(&sealed, names: route.secretParams)
        let params = JSONValue.object(sealed).encoded()
        let secrets = StoreText.words(route.secretParams)
        let countries = StoreText.words(route.countries)
        let checks = StoreText.checks(route.status.checks)
        let status = route.status
        var stored = route
        if route.id == 0 {
            guard
                let row = try await row(
                    """
                    INSERT INTO routes (offer_id, integration, params, secret_params, priority, daily_cap, countries, enabled,
                                        postback_token, hours, status_checks, status_interval, status_window, status_range,
                                        on_approve)
                    VALUES (\(route.offerID), \(route.integration), \(params), \(secrets), \(route.priority), \(route.dailyCap),
                            \(countries), \(route.enabled), \(route.postbackToken), \(route.hours?.description), \(checks),
                            \(status.intervalSeconds), \(status.windowSeconds), \(status.rangeSeconds), \(route.onApprove))
                    RETURNING id
                    """, table: "routes")
            else { throw .unavailable("PostgreSQL: the new route of offer \(route.offerID) came back without an id") }
            stored.id = try row.integer("id")
            return stored
        }
        let updated = try await execute(
            """
            UPDATE routes SET offer_id = \(route.offerID), integration = \(route.integration), params = \(params),
                              secret_params = \(secrets), priority = \(route.priority), daily_cap = \(route.dailyCap),
                              countries = \(countries), enabled = \(route.enabled), postback_token = \(route.postbackToken),
                              hours = \(route.hours?.description), status_checks = \(checks),
                              status_interval = \(status.intervalSeconds), status_window = \(status.windowSeconds),
                              status_range = \(status.rangeSeconds), on_approve = \(route.onApprove)
            WHERE id = \(route.id)
            RETURNING id
            """)
        if updated == 0 { throw .noSuchRoute(route.id) }
        return stored
    }

    public func routes(offerID: String) async throws(StoreError) -> [OfferRoute] {
        try await rows("SELECT * FROM routes WHERE offer_id = \(offerID) ORDER BY priority, id", table: "routes").map {
            row throws(StoreError) in try row.route(opening: sealer)
        }
    }

    public func route(id: Int64) async throws(StoreError) -> OfferRoute? {
        try await row("SELECT * FROM routes WHERE id = \(id)", table: "routes")?.route(opening: sealer)
    }

    public func removeRoute(id: Int64) async throws(StoreError) {
        if try await execute("DELETE FROM routes WHERE id = \(id) RETURNING id") == 0 { throw .noSuchRoute(id) }
    }

    public func acceptedCount(routeID: Int64, since: Double, excludingRun: String) async throws(StoreError) -> Int {
        let row = try await row(
            """
            SELECT count(*) AS accepted FROM attempts
            WHERE route_id = \(routeID) AND kind = 'accepted' AND ended_at >= \(since) AND COALESCE(run, '') <> \(excludingRun)
              AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = attempts.lead_id AND l.is_test)
            """, table: "attempts")
        return Int(try row?.integer("accepted") ?? 0)
    }
}
