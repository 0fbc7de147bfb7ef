import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

extension SQLiteStoreTests {
    /// The lead `insert` answers with (built from what it wrote, not read back) is the lead
    /// a read of its row gives: sealed password opened, a duplicate stored `rejected` with
    /// its outcome, the test flag, the action, no affiliate, numbers as their text reads.
    func testTheInsertedLeadIsTheLeadItsRowHolds() async throws {
        let store = try temporary.sealedStore()
        let fields: JSONValue = .object([
            "email": .string("anna@example.com"), "password": .string("Hunter2-secret"), "amount": .number(2.0),
            "extra": .object(["note": .string("é \"quoted\"")]),
        ])
        var first = NewLead(offerID: "7", fields: fields, duplicateEmail: "anna@example.com", isTest: true, receivedAt: 100.25)
        first.action = .register
        let second = NewLead(
            offerID: "7", affiliateID: "A1", fields: fields, duplicateEmail: "anna@example.com", duplicateSince: 50, receivedAt: 101)
        guard case .inserted(let inserted) = try await store.insert(first) else { return XCTFail("not inserted") }
        XCTAssertEqual(inserted.action, .register)
        let readFirst = try await store.lead(id: inserted.id)
        XCTAssertEqual(inserted, readFirst)
        guard case .inserted(let duplicate) = try await store.insert(second) else { return XCTFail("not inserted") }
        XCTAssertEqual(duplicate.state, .rejected)
        XCTAssertEqual(duplicate.outcome, NewLead.duplicate)
        XCTAssertEqual(duplicate.fields["amount"], .integer(2), "as the stored text reads back")
        let read = try await store.lead(id: duplicate.id)
        XCTAssertEqual(duplicate, read)
    }
}
