import Foundation
import IntegrationRuntime
import LeadJSON
import Synchronization
import XCTest

@testable import LeadRelayService

/// Leads routed by the offer's stored routes, delivered by the dispatcher, the route's
/// secret parameters opened for the call.
final class StoreRoutingTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var directory = ""
    var store: SQLiteStore!

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("routing")
        directory = temporary.path
        store = try temporary.sealedStore()
    }

    override func tearDownWithError() throws { temporary.remove() }

    func lead(country: String?) -> StoredLead {
        var fields: [String: JSONValue] = ["email": .string("a@example.com")]
        if let country { fields["country"] = .string(country) }
        return StoredLead(
            id: "L-1", offerID: "7", affiliateID: nil, fields: .object(fields), state: .sending(attempt: 1),
            outcome: nil, sentAgain: false, isTest: false, receivedAt: 0, updatedAt: 0)
    }

    func testTheFirstEnabledRouteThatTakesTheCountryWins() async throws {
        try await store.save(StoredOffer(id: "7", name: "Crypto"))
        var off = OfferStoreContract.route(priority: 0, token: "t-0")
        off.enabled = false
        _ = try await store.save(off)
        _ = try await store.save(OfferStoreContract.route("7", "trackbox", priority: 1, token: "t-1"))  // DE and AT
        var fr = OfferStoreContract.route("7", "clixnow", priority: 2, token: "t-2", secret: "tok-FR")
        fr.countries = []
        _ = try await store.save(fr)
        let network = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let routing = StoreRouting(offers: store) { _ in network }
        let de = try await routing.route(for: lead(country: "de"))
        XCTAssertEqual(de?.integration, "trackbox")
        XCTAssertEqual(de?.params["api_token"], .string("tok-SECRET-1"), "the secret opened for the call")
        XCTAssertEqual(de?.offer, Offer(id: "7", name: "Crypto"))
        let other = try await routing.route(for: lead(country: "FR"))
        XCTAssertEqual(other?.integration, "clixnow", "a route with no countries takes every one")
        let none = try await routing.route(for: lead(country: nil))
        XCTAssertEqual(none?.integration, "clixnow")
        let noRunner = StoreRouting(offers: store) { $0 == "clixnow" ? network : nil }
        let skipped = try await noRunner.route(for: lead(country: "DE"))
        XCTAssertEqual(skipped?.integration, "clixnow", "a route whose integration is not loaded is skipped")
        let unknown = try await routing.route(
            for: StoredLead(
                id: "L-2", offerID: "99", affiliateID: nil, fields: .object([:]),
                state: .pending, outcome: nil, sentAgain: false, isTest: false,
                receivedAt: 0, updatedAt: 0))
        XCTAssertNil(unknown)
    }
}

/// A claim round's routing reads an offer and its routes once for all its leads.
final class RoutingRoundTests: XCTestCase {
    /// Counts the reads that reach the store.
    final class CountingOffers: OfferStore, @unchecked Sendable {
        let store: SQLiteStore
        let reads = Mutex<[String: Int]>([:])
        init(_ store: SQLiteStore) { self.store = store }
        func count(_ name: String) { reads.withLock { $0[name, default: 0] += 1 } }
        func save(_ offer: StoredOffer) async throws(StoreError) { try await store.save(offer) }
        func add(_ offer: StoredOffer) async throws(StoreError) -> StoredOffer { try await store.add(offer) }
        func offer(id: String) async throws(StoreError) -> StoredOffer? {
            count("offer")
            return try await store.offer(id: id)
        }
        func save(_ route: OfferRoute) async throws(StoreError) -> OfferRoute { try await store.save(route) }
        func routes(offerID: String) async throws(StoreError) -> [OfferRoute] {
            count("routes")
            return try await store.routes(offerID: offerID)
        }
        func acceptedCount(routeID: Int64, since: Double, excludingRun: String) async throws(StoreError) -> Int {
            count("acceptedCount")
            return try await store.acceptedCount(routeID: routeID, since: since, excludingRun: excludingRun)
        }
        func offers() async throws(StoreError) -> [StoredOffer] { try await store.offers() }
        func route(id: Int64) async throws(StoreError) -> OfferRoute? { try await store.route(id: id) }
        func removeRoute(id: Int64) async throws(StoreError) { try await store.removeRoute(id: id) }
    }

    func testARoundReadsTheOfferAndItsRoutesOnceAndTheNextRoundAgain() async throws {
        let temporary = try TemporaryDirectory("round")
        defer { temporary.remove() }
        let store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Crypto"))
        var capped = OfferStoreContract.route("7", "clixnow", priority: 0, token: "t-0")
        capped.countries = []
        capped.dailyCap = 100
        _ = try await store.save(capped)
        let offers = CountingOffers(store)
        let network = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let routing = StoreRouting(offers: offers) { _ in network }
        let lead = StoredLead(
            id: "L-1", offerID: "7", affiliateID: nil, fields: .object([:]), state: .sending(attempt: 1),
            outcome: nil, sentAgain: false, isTest: false, receivedAt: 0, updatedAt: 0)
        let round = routing.forRound()
        for _ in 0..<5 {
            let decision = try await round.decide(for: lead, now: 1_800_000_000, local: .none)
            guard case .deliver(let route) = decision else { return XCTFail("\(decision)") }
            XCTAssertEqual(route.integration, "clixnow")
        }
        XCTAssertEqual(offers.reads.withLock { $0 }, ["offer": 1, "routes": 1, "acceptedCount": 1])
        _ = try await routing.forRound().decide(for: lead, now: 1_800_000_000, local: .none)
        _ = try await routing.decide(for: lead, now: 1_800_000_000, local: .none)
        XCTAssertEqual(
            offers.reads.withLock { $0 }, ["offer": 3, "routes": 3, "acceptedCount": 3],
            "a new round, and a routing outside any round, read the store again")
    }
}
