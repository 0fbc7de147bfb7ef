import Foundation
import XCTest

@testable import LeadRelayService

/// `KeyCheck` with a cache (the intake's: `IntakeRoutes.cacheSeconds`): a change in the
/// store takes effect at most `cacheSeconds` later, and expiry is checked on every request.
/// Times are passed in (`now`), so nothing here waits.
final class KeyCheckCacheTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    let now = 1_767_225_600.0
    let open = IPRange(from: "0.0.0.0", to: "255.255.255.255")!

    override func setUp() async throws {
        temporary = try TemporaryDirectory("key-cache")
        store = try SQLiteStore(path: temporary.storePath)
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
    }

    override func tearDown() async throws { temporary.remove() }

    func decide(_ check: KeyCheck, _ token: KeyToken, at time: Double) async throws -> Result<Affiliate, AccessRefusal> {
        try await check.authorize(token: token.text, address: "203.0.113.7", needs: .createLeads, offer: "7", now: time)
    }

    func testARevokedKeyIsRefusedAtMostCacheSecondsLater() async throws {
        let check = KeyCheck(store: store, cacheSeconds: 1)
        let (key, token) = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads], allowlist: [open], expiresAt: now + 3600)
        guard case .success = try await decide(check, token, at: now) else { return XCTFail("a valid key was refused") }
        try await store.revokeKey(id: key.id, at: now)
        // Within the bound the key read at `now` is still used...
        guard case .success = try await decide(check, token, at: now + 0.5) else { return XCTFail("the cache kept nothing") }
        // ...and from `now + cacheSeconds` on it is read again and refused.
        let later = try await decide(check, token, at: now + 1)
        XCTAssertEqual(later, .failure(.unauthenticated))
        let uncached = try await decide(KeyCheck(store: store), token, at: now + 0.5)
        XCTAssertEqual(uncached, .failure(.unauthenticated), "without a cache the revocation is seen at once")
    }

    func testExpiryIsCheckedOnEveryRequestEvenWhenTheKeyIsKept() async throws {
        let check = KeyCheck(store: store, cacheSeconds: 1)
        let (_, token) = try await store.issueKey(affiliateID: "A1", permissions: [.createLeads], allowlist: [open], expiresAt: now + 0.5)
        guard case .success = try await decide(check, token, at: now) else { return XCTFail("a valid key was refused") }
        let expired = try await decide(check, token, at: now + 0.5)
        XCTAssertEqual(expired, .failure(.unauthenticated))
    }

    func testAGrantTakenBackAndAClockSetBackAreSeenWithinTheBound() async throws {
        let check = KeyCheck(store: store, cacheSeconds: 1)
        let (_, token) = try await store.issueKey(affiliateID: "A1", permissions: [.createLeads], allowlist: [open], expiresAt: now + 3600)
        guard case .success = try await decide(check, token, at: now) else { return XCTFail("a valid key was refused") }
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: []))
        let later = try await decide(check, token, at: now + 1)
        XCTAssertEqual(later, .failure(.offerNotGranted("7")))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        guard case .success = try await decide(check, token, at: now + 2) else { return XCTFail("the grant was not seen again") }
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: []))
        // The clock went back: a value read "in the future" is not used.
        let earlier = try await decide(check, token, at: now)
        XCTAssertEqual(earlier, .failure(.offerNotGranted("7")))
    }
}
