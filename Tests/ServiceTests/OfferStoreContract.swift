import IntegrationRuntime
import LeadJSON
import LeadRelayService
import XCTest

/// The promises every `OfferStore` keeps; each implementation's test class runs them all.
struct OfferStoreContract {
    /// A fresh, empty store that seals with a key.
    let make: () async throws -> any OfferStore
    /// The same data opened again without any key.
    let reopenWithoutKey: () async throws -> any OfferStore

    static func route(
        _ offer: String = "7", _ integration: String = "irev", priority: Int = 0, token: String,
        secret: String = "tok-SECRET-1"
    ) -> OfferRoute {
        OfferRoute(
            offerID: offer, integration: integration,
            params: ["base_url": .string("https://crm.example"), "api_token": .string(secret), "offer_id": .integer(12)],
            secretParams: ["api_token"], priority: priority, dailyCap: 100, countries: ["DE", "AT"], postbackToken: token)
    }

    func workingHoursAreSavedAndReadBack() async throws {
        let store = try await make()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        var route = Self.route(token: "t-hours")
        route.hours = WorkingHours("Mon-Fri 09:00-18:00 Europe/Berlin")
        let saved = try await store.save(route)
        var read = try await store.routes(offerID: "7")
        XCTAssertEqual(read.first?.hours, route.hours)
        var always = saved
        always.hours = nil
        _ = try await store.save(always)
        read = try await store.routes(offerID: "7")
        XCTAssertEqual(read.count, 1)
        XCTAssertNil(read.first?.hours, "hours removed")
    }

    func offersAreSavedReplacedAndReadBack() async throws {
        let store = try await make()
        let missing = try await store.offer(id: "7")
        XCTAssertNil(missing)
        let offer = StoredOffer(id: "7", name: "Crypto DE", fallThrough: [.capReached], duplicateWindow: 86_400)
        try await store.save(offer)
        var read = try await store.offer(id: "7")
        XCTAssertEqual(read, offer)
        try await store.save(StoredOffer(id: "7", name: "Crypto DE/AT"))
        read = try await store.offer(id: "7")
        XCTAssertEqual(read, StoredOffer(id: "7", name: "Crypto DE/AT", fallThrough: StoredOffer.defaultFallThrough))
    }

    func routesComeBackByPriorityWithTheirSecretsOpened() async throws {
        let store = try await make()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        try await store.save(StoredOffer(id: "8", name: "Other"))
        let second = try await store.save(Self.route(priority: 2, token: "t-2"))
        let first = try await store.save(Self.route("7", "clixnow", priority: 1, token: "t-1", secret: "tok-SECRET-2"))
        _ = try await store.save(Self.route("8", priority: 0, token: "t-3"))
        XCTAssertNotEqual(first.id, 0)
        XCTAssertNotEqual(first.id, second.id)
        var routes = try await store.routes(offerID: "7")
        XCTAssertEqual(routes, [first, second])
        XCTAssertEqual(routes.first?.params["api_token"], .string("tok-SECRET-2"))
        var changed = second
        changed.priority = 0
        changed.enabled = false
        changed.params["api_token"] = .string("tok-SECRET-3")
        _ = try await store.save(changed)
        routes = try await store.routes(offerID: "7")
        XCTAssertEqual(routes, [changed, first])
    }

    func aSecretNeedsTheKey() async throws {
        let store = try await make()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await store.save(Self.route(token: "t-1"))
        let keyless = try await reopenWithoutKey()
        do {
            _ = try await keyless.routes(offerID: "7")
            XCTFail("a secret opened without the key")
        } catch {
            guard case .secret(let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("api_token"), detail)
        }
        do {
            _ = try await keyless.save(Self.route(token: "t-2"))
            XCTFail("a secret was stored without a key to seal it")
        } catch {
            guard case .secret = error else { return XCTFail("\(error)") }
        }
        var plain = Self.route(token: "t-3")
        plain.secretParams = []
        let stored = try await keyless.save(plain)
        XCTAssertNotEqual(stored.id, 0, "a route without secrets needs no key")
    }

    /// Saving a route under an id the store never gave is an error, not a silent no-op
    /// (failed before: the route came back as if stored).
    func aRouteUnderAnUnknownIDIsAnError() async throws {
        let store = try await make()
        try await store.save(StoredOffer(id: "7", name: "Offer 7"))
        var route = Self.route(token: "t-9")
        route.id = 999
        do {
            _ = try await store.save(route)
            XCTFail("a route was saved under an unknown id")
        } catch {
            XCTAssertEqual(error, .noSuchRoute(999))
        }
    }

    func offersAreListedAndARouteIsReadAndRemovedByID() async throws {
        let store = try await make()
        try await store.save(StoredOffer(id: "8", name: "Other"))
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        let offers = try await store.offers()
        XCTAssertEqual(offers.map(\.id), ["7", "8"])
        let stored = try await store.save(Self.route(token: "t-1"))
        let read = try await store.route(id: stored.id)
        XCTAssertEqual(read, stored, "secrets opened")
        try await store.removeRoute(id: stored.id)
        let gone = try await store.route(id: stored.id)
        XCTAssertNil(gone)
        let routes = try await store.routes(offerID: "7")
        XCTAssertEqual(routes, [])
        do {
            try await store.removeRoute(id: stored.id)
            XCTFail("a missing route was removed")
        } catch {
            XCTAssertEqual(error, .noSuchRoute(stored.id))
        }
    }

    func anAddedOfferNeverReplacesOneAndAnEmptyIDTakesTheNextNumber() async throws {
        let store = try await make()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        do {
            _ = try await store.add(StoredOffer(id: "7", name: "Other"))
            XCTFail("an offer was replaced")
        } catch {
            XCTAssertEqual(error, .exists("offer 7"))
        }
        let kept = try await store.offer(id: "7")
        XCTAssertEqual(kept?.name, "Crypto DE")
        let numbered = try await store.add(StoredOffer(id: "", name: "Next"))
        XCTAssertEqual(numbered.id, "8")
        let read = try await store.offer(id: "8")
        XCTAssertEqual(read, numbered)
    }
}
