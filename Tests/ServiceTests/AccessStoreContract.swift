import LeadRelayService
import XCTest

/// The promises every `AccessStore` keeps, and what `KeyCheck` decides over it.
struct AccessStoreContract {
    let make: () async throws -> any AccessStore
    static let now = 1_767_225_600.0

    func aKeyIsFoundByItsTokensDigestOnlyAndChecked() async throws {
        let store = try await make()
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        let office = try XCTUnwrap(IPRange(from: "203.0.113.0", to: "203.0.113.255"))
        let (key, token) = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads], allowlist: [office],
            expiresAt: Self.now + 3600)
        XCTAssertTrue(token.text.hasPrefix("lr_"))
        XCTAssertGreaterThanOrEqual(token.text.count, 46, "256 bits in base64url")
        let found = try await store.key(digest: token.digest)
        XCTAssertEqual(found, key)
        let byToken = try await store.key(digest: token.text)
        XCTAssertNil(byToken, "the token itself is no digest")
        let check = KeyCheck(store: store)
        func decide(
            _ token: String?, _ address: String = "203.0.113.9", permission: KeyPermission = .createLeads,
            offer: String? = "7", at now: Double = Self.now
        ) async throws -> Result<Affiliate, AccessRefusal> {
            try await check.authorize(token: token, address: address, needs: permission, offer: offer, now: now)
        }
        let allowed = try await decide(token.text)
        XCTAssertEqual(try allowed.get().id, "A1")
        for refused in [
            try await decide(nil), try await decide(""), try await decide("lr_unknown"), try await decide(token.text, at: Self.now + 3600),
        ] {
            XCTAssertEqual(refused, .failure(.unauthenticated))
        }
        let fromElsewhere = try await decide(token.text, "198.51.100.1")
        XCTAssertEqual(fromElsewhere, .failure(.addressNotAllowed))
        let reports = try await decide(token.text, permission: .readReports)
        XCTAssertEqual(reports, .failure(.permissionMissing(.readReports)))
        let otherOffer = try await decide(token.text, offer: "8")
        XCTAssertEqual(otherOffer, .failure(.offerNotGranted("8")))
        try await store.extendKey(id: key.id, until: Self.now + 7200)
        let extended = try await decide(token.text, at: Self.now + 3600)
        XCTAssertEqual(try extended.get().id, "A1", "Extend Expiry Date")
        try await store.revokeKey(id: key.id, at: Self.now + 10)
        let revoked = try await decide(token.text, at: Self.now + 20)
        XCTAssertEqual(revoked, .failure(.unauthenticated), "a revoked key answers as an unknown one")
        do {
            try await store.revokeKey(id: "key_missing", at: Self.now)
            XCTFail("an unknown key was revoked")
        } catch {
            XCTAssertEqual(error, .noSuchKey("key_missing"))
        }
    }

    func twoKeysNeverShareAToken() async throws {
        let store = try await make()
        try await store.save(Affiliate(id: "A1", name: "Media Buyer"))
        var tokens: Set<String> = []
        for _ in 0..<20 {
            let (_, token) = try await store.issueKey(affiliateID: "A1", permissions: [.readLeads], allowlist: [], expiresAt: Self.now)
            tokens.insert(token.text)
        }
        XCTAssertEqual(tokens.count, 20)
    }

    func affiliatesAndTheirKeysAreListedWithoutTokens() async throws {
        let store = try await make()
        try await store.save(Affiliate(id: "B2", name: "Second"))
        try await store.save(Affiliate(id: "A1", name: "First", offers: ["7"]))
        let affiliates = try await store.affiliates()
        XCTAssertEqual(affiliates, [Affiliate(id: "A1", name: "First", offers: ["7"]), Affiliate(id: "B2", name: "Second")])
        let open = try XCTUnwrap(IPRange(from: "0.0.0.0", to: "255.255.255.255"))
        let (first, _) = try await store.issueKey(affiliateID: "A1", permissions: [.createLeads], allowlist: [open], expiresAt: Self.now)
        let (second, _) = try await store.issueKey(affiliateID: "B2", permissions: [.readLeads], allowlist: [], expiresAt: Self.now)
        let ofA1 = try await store.keys(affiliateID: "A1")
        XCTAssertEqual(ofA1, [first])
        let all = try await store.keys(affiliateID: nil)
        XCTAssertEqual(all, [first, second])
        let none = try await store.keys(affiliateID: "C3")
        XCTAssertEqual(none, [])
    }
}
