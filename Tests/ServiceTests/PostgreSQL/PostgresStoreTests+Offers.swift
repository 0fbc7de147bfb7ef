import Foundation
import GRDB
import IntegrationRuntime
import XCTest

@testable import LeadRelayService

/// `OfferStore` on PostgreSQL: the contract `SQLiteStoreTests` runs, under the same names,
/// plus what only a shared database has (numbering by concurrent adds, values sealed by one
/// store opened by the other, the daily cap's count, the migration's indexes).
extension PostgresStoreTests {
    /// A sealer with a new random key.
    static func newSealer() throws -> SecretSealer {
        let bytes = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        return SecretSealer(key: try SecretKey.decode(bytes.base64EncodedString(), from: "the test"))
    }

    var offers: OfferStoreContract {
        let sealer = try? Self.newSealer()
        return OfferStoreContract(make: { try await self.open(sealer: sealer) }, reopenWithoutKey: { try await self.open() })
    }

    func testOffersAreSavedReplacedAndReadBack() async throws { try await offers.offersAreSavedReplacedAndReadBack() }
    func testWorkingHoursAreSavedAndReadBack() async throws { try await offers.workingHoursAreSavedAndReadBack() }
    func testRoutesComeBackByPriorityWithTheirSecretsOpened() async throws {
        try await offers.routesComeBackByPriorityWithTheirSecretsOpened()
    }
    func testASecretNeedsTheKey() async throws { try await offers.aSecretNeedsTheKey() }
    func testARouteUnderAnUnknownIDIsAnError() async throws { try await offers.aRouteUnderAnUnknownIDIsAnError() }
    func testAnAddedOfferNeverReplacesOneAndAnEmptyIDTakesTheNextNumber() async throws {
        try await offers.anAddedOfferNeverReplacesOneAndAnEmptyIDTakesTheNextNumber()
    }
    func testOffersAreListedAndARouteIsReadAndRemovedByID() async throws {
        try await offers.offersAreListedAndARouteIsReadAndRemovedByID()
    }

    /// Offers added at once through two pools, without ids, each take a number of their own.
    func testOffersAddedAtOnceTakeDistinctNumbers() async throws {
        let first = try await open()
        let second = try await open()
        try await first.save(StoredOffer(id: "7", name: "Existing"))
        try await first.save(StoredOffer(id: "named", name: "Not a number"))
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<20 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.add(StoredOffer(id: "", name: "Offer \(index)")).id }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(ids.compactMap { Int($0) }.sorted(), Array(8...27))
        let stored = try await first.offers()
        XCTAssertEqual(stored.count, 22)
    }

    /// A route's secret sealed by SQLite opens in PostgreSQL and one sealed by PostgreSQL in
    /// SQLite (the same places, the same key); a sealed value moved to another route does not.
    func testASecretSealedByOneStoreOpensInTheOther() async throws {
        let sealer = try Self.newSealer()
        let temporary = try TemporaryDirectory("pg-seal")
        defer { temporary.remove() }
        let sqlite = try SQLiteStore(path: temporary.storePath, sealer: sealer)
        let postgres = try await open(sealer: sealer)
        for store in [sqlite, postgres] as [any OfferStore] { try await store.save(StoredOffer(id: "7", name: "Crypto DE")) }

        _ = try await sqlite.save(OfferStoreContract.route(token: "t-sqlite", secret: "tok-SECRET-LITE"))
        let fromSQLite = try await sqlite.reading { db in
            try String.fetchOne(db, sql: "SELECT params FROM routes WHERE postback_token = 't-sqlite'") ?? ""
        }
        XCTAssertFalse(fromSQLite.contains("tok-SECRET-LITE"), "stored in clear")
        try await copyRoute(params: fromSQLite, token: "t-sqlite", into: postgres)
        let opened = try await postgres.routes(offerID: "7")
        XCTAssertEqual(opened.first?.params["api_token"], .string("tok-SECRET-LITE"))

        _ = try await postgres.save(OfferStoreContract.route(token: "t-pg", secret: "tok-SECRET-PG"))
        let fromPostgres = try await postgres.row("SELECT params FROM routes WHERE postback_token = 't-pg'", table: "routes")
        let sealed = try XCTUnwrap(fromPostgres).text("params")
        XCTAssertFalse(sealed.contains("tok-SECRET-PG"), "stored in clear")
        try await sqlite.writing { db in
            try db.execute(
                sql: """
                    INSERT INTO routes (offer_id, integration, params, secret_params, priority, countries, enabled, postback_token)
                    VALUES ('7', 'irev', ?, '["api_token"]', 5, '[]', 1, 't-pg')
                    """, arguments: [sealed])
        }
        let routes = try await sqlite.routes(offerID: "7")
        XCTAssertEqual(routes.last?.params["api_token"], .string("tok-SECRET-PG"))

        try await copyRoute(params: fromSQLite, token: "t-elsewhere", into: postgres)
        do {
            _ = try await postgres.routes(offerID: "7")
            XCTFail("a sealed value opened under another route's token")
        } catch {
            guard case .secret = error else { return XCTFail("\(error)") }
        }
    }

    /// Writes a `routes` row of offer 7 holding `params` as stored (sealed), bypassing `save`.
    private func copyRoute(params: String, token: String, into store: PostgresStore) async throws {
        try await store.execute(
            """
            INSERT INTO routes (offer_id, integration, params, secret_params, priority, countries, enabled, postback_token)
            VALUES ('7', 'irev', \(params), '["api_token"]', 0, '[]', true, \(token)) RETURNING id
            """)
    }

    /// The daily cap counts the route's accepted attempts since the day's start, of other
    /// runs, leaving out test leads.
    func testAcceptedCountCountsOtherRunsAcceptedRealLeadsSinceTheStart() async throws {
        let store = try await open()
        for (id, isTest) in [("L-1", false), ("L-2", true)] {
            try await store.execute(
                """
                INSERT INTO leads (id, offer_id, fields, is_test, state, received_at, updated_at)
                VALUES (\(id), '7', '{}', \(isTest), 'accepted', 0, 0) RETURNING seq
                """)
        }
        // (lead, number, route, kind, ended at, run)
        let attempts: [(String, Int, Int64, String, Double, String?)] = [
            ("L-1", 1, 5, "accepted", 100, "r1"),  // counted
            ("L-1", 2, 5, "accepted", 100, nil),  // counted
            ("L-1", 3, 5, "accepted", 50, "r1"),  // before the start
            ("L-1", 4, 5, "rejected", 100, "r1"),  // not accepted
            ("L-1", 5, 5, "accepted", 100, "mine"),  // the asking run's own
            ("L-1", 6, 6, "accepted", 100, "r1"),  // another route
            ("L-2", 1, 5, "accepted", 100, "r1"),  // a test lead
        ]
        for (lead, number, route, kind, ended, run) in attempts {
            try await store.execute(
                """
                INSERT INTO attempts (lead_id, number, integration, started_at, ended_at, outcome, report, route_id, kind, run)
                VALUES (\(lead), \(number), 'irev', 0, \(ended), '{"kind":"accepted","external_id":"x"}', '{}',
                        \(route), \(kind), \(run)) RETURNING number
                """)
        }
        let count = try await store.acceptedCount(routeID: 5, since: 60, excludingRun: "mine")
        XCTAssertEqual(count, 2)
        let none = try await store.acceptedCount(routeID: 7, since: 0, excludingRun: "mine")
        XCTAssertEqual(none, 0)
    }

    /// `v2-offers-routes-leads` builds SQLite's indexes, the external id's as an expression index.
    func testTheOffersRoutesAndLeadsMigrationBuildsSQLitesIndexes() async throws {
        let store = try await open()
        let rows = try await store.rows(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename IN ('routes', 'leads', 'attempts')
            """, table: "pg_indexes")
        var definitions: [String: String] = [:]
        for row in rows { definitions[try row.text("indexname")] = try row.text("indexdef") }
        XCTAssertEqual(
            Set(definitions.keys),
            [
                "routes_pkey", "routes_postback_token_key", "routes_offer", "routes_on_approve", "leads_pkey", "leads_id_key",
                "leads_idempotency", "leads_due", "leads_leased", "leads_dup_email", "leads_dup_phone", "leads_received",
                "leads_anonymise", "attempts_pkey", "attempts_route_accepted", "attempts_route_external",
            ])
        let external = definitions["attempts_route_external"] ?? ""
        XCTAssertTrue(external.contains("external_id") && external.contains("jsonb"), external)
    }
}
