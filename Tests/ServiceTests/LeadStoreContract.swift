import IntegrationRuntime
import LeadJSON
import LeadRelayService
import XCTest

/// The promises every `LeadStore` keeps, written once: each implementation's test class
/// (SQLite now, PostgreSQL later) runs every check here against a fresh store.
struct LeadStoreContract {
    /// A fresh, empty store.
    let make: () async throws -> any LeadStore
    /// The same data opened again (a restart).
    let reopen: () async throws -> any LeadStore
    /// Whether the store leases leads (`claimDue`); false for a store that so far only
    /// inserts and reads them (PostgreSQL today): the checks that claim read the lead instead.
    var claims = true

    static let now = 1_767_225_600.0  // 2026-01-01T00:00:00Z

    static func newLead(
        _ n: Int = 1, offer: String = "7", affiliate: String? = "A1", email: String? = nil,
        phone: String? = nil, key: String? = nil, digest: String = "d1", at: Double = now
    ) -> NewLead {
        NewLead(
            offerID: offer, affiliateID: affiliate,
            fields: .object(["first_name": .string("Anna"), "email": .string(email ?? "a\(n)@example.com"), "n": .integer(Int64(n))]),
            duplicateEmail: email, duplicatePhone: phone,
            idempotency: key.map { NewLead.Idempotency(key: $0, bodyDigest: digest) }, receivedAt: at)
    }

    static func attempt(_ lead: StoredLead, number: Int, _ outcome: Outcome, sentAgain: Bool = false) -> AttemptRecord {
        AttemptRecord(
            leadID: lead.id, number: number, integration: "irev", startedAt: now, endedAt: now + 0.2, outcome: outcome,
            report: .object(["exchanges": .array([.object(["request": .object(["url": .string("https://crm.example/leads")])])])]),
            sentAgain: sentAgain)
    }

    func inserted(_ store: any LeadStore, _ lead: NewLead) async throws -> StoredLead {
        guard case .inserted(let stored) = try await store.insert(lead) else {
            XCTFail("the lead was not inserted")
            throw StoreError.unavailable("not inserted")
        }
        return stored
    }

    // MARK: Intake

    func anInsertedLeadIsPendingDueAndSurvivesAReopen() async throws {
        let store = try await make()
        let lead = try await inserted(store, Self.newLead())
        XCTAssertEqual(lead.state, .pending)
        XCTAssertEqual(lead.offerID, "7")
        XCTAssertEqual(lead.fields["first_name"]?.stringValue, "Anna")
        XCTAssertFalse(lead.sentAgain)
        let again = try await reopen()
        let read = try await again.lead(id: lead.id)
        XCTAssertEqual(read, lead)
        let missing = try await again.lead(id: "no-such-lead")
        XCTAssertNil(missing)
        guard claims else { return }
        let claimed = try await again.claimDue(now: Self.now, limit: 10, owner: "p1", leaseSeconds: 30)
        XCTAssertEqual(claimed.map(\.id), [lead.id])
    }

    func anIdempotencyKeyMapsToOneLeadPerAffiliate() async throws {
        let store = try await make()
        let first = try await inserted(store, Self.newLead(1, key: "k-1", digest: "d1"))
        let same = try await store.insert(Self.newLead(1, key: "k-1", digest: "d1"))
        XCTAssertEqual(same, .replayed(first))
        let other = try await store.insert(Self.newLead(2, key: "k-1", digest: "d2"))
        XCTAssertEqual(other, .keyReused(existingLeadID: first.id))
        let otherAffiliate = try await inserted(store, Self.newLead(3, affiliate: "A2", key: "k-1", digest: "d1"))
        XCTAssertNotEqual(otherAffiliate.id, first.id)
        let noKey1 = try await inserted(store, Self.newLead(4))
        let noKey2 = try await inserted(store, Self.newLead(4))
        XCTAssertNotEqual(noKey1.id, noKey2.id)
    }

    func theDuplicateCheckFindsTheNewestLeadOfTheOfferInTheWindow() async throws {
        let store = try await make()
        let old = try await inserted(store, Self.newLead(1, email: "anna@example.com", at: Self.now - 7200))
        let byEmail = try await inserted(store, Self.newLead(2, email: "anna@example.com", at: Self.now - 60))
        let byPhone = try await inserted(store, Self.newLead(3, phone: "4915112345678", at: Self.now - 30))
        _ = try await inserted(store, Self.newLead(4, offer: "8", email: "bob@example.com", at: Self.now))
        var found = try await store.duplicate(offerID: "7", email: "anna@example.com", phone: nil, since: Self.now - 3600)
        XCTAssertEqual(found, byEmail.id)
        found = try await store.duplicate(offerID: "7", email: "anna@example.com", phone: nil, since: Self.now - 86400)
        XCTAssertEqual(found, byEmail.id, "the newest, not \(old.id)")
        found = try await store.duplicate(offerID: "7", email: "anna@example.com", phone: "4915112345678", since: Self.now - 3600)
        XCTAssertEqual(found, byPhone.id)
        found = try await store.duplicate(offerID: "7", email: "bob@example.com", phone: nil, since: 0)
        XCTAssertNil(found, "another offer's lead is no duplicate")
        found = try await store.duplicate(offerID: "7", email: nil, phone: nil, since: 0)
        XCTAssertNil(found)
    }

    func aLeadRefusedAtIntakeIsStoredRejectedAndNeverClaimed() async throws {
        let store = try await make()
        var lead = Self.newLead(1, email: "anna@example.com")
        lead.rejection = Outcome(.rejected, reason: .duplicate, message: "a lead with this email came within 24 h")
        let stored = try await inserted(store, lead)
        XCTAssertEqual(stored.state, .rejected)
        XCTAssertEqual(stored.outcome?.reason, .duplicate)
        let read = try await store.lead(id: stored.id)
        XCTAssertEqual(read, stored)
        guard claims else { return }
        let claimed = try await store.claimDue(now: Self.now + 10, limit: 10, owner: "p1", leaseSeconds: 30)
        XCTAssertEqual(claimed, [])
    }
}
