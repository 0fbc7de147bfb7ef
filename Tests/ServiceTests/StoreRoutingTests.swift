import Foundation
import IntegrationRuntime
import LeadJSON
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
