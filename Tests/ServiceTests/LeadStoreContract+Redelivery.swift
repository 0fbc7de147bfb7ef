import IntegrationRuntime
import LeadJSON
import LeadRelayService
import XCTest

extension LeadStoreContract {
    /// Held leads (state `error`) are found by integration, offer and time, and redelivered
    /// as their next attempt; other leads are never touched.
    func heldLeadsAreFoundAndRedeliveredAsTheirNextAttempt() async throws {
        let store = try await make()
        var leads: [StoredLead] = []
        for (n, offer) in [(1, "7"), (2, "7"), (3, "8"), (4, "7")].map({ ($0.0, $0.1) }) {
            leads.append(try await inserted(store, Self.newLead(n, offer: offer, at: Self.now + Double(n))))
        }
        _ = try await store.claimDue(now: Self.now + 10, limit: 10, owner: "p1", leaseSeconds: 30)
        func end(_ lead: StoredLead, _ integration: String, _ state: DeliveryState) async throws {
            var record = Self.attempt(lead, number: 1, state == .accepted ? Outcome(.accepted) : .error("script failed"))
            record.integration = integration
            try await store.complete(record, state: state, owner: "p1", now: Self.now + 11)
        }
        try await end(leads[0], "irev", .error)
        try await end(leads[1], "trackbox", .error)
        try await end(leads[2], "irev", .error)
        try await end(leads[3], "irev", .accepted)
        let all = try await store.held(HeldLeads())
        XCTAssertEqual(all, [leads[0].id, leads[1].id, leads[2].id], "only leads in error are held")
        let irev = try await store.held(HeldLeads(integration: "irev"))
        XCTAssertEqual(irev, [leads[0].id, leads[2].id])
        let offer = try await store.held(HeldLeads(offerID: "7"))
        XCTAssertEqual(offer, [leads[0].id, leads[1].id])
        let window = try await store.held(HeldLeads(from: Self.now + 2, to: Self.now + 3))
        XCTAssertEqual(window, [leads[1].id])
        let redelivered = try await store.redeliver(HeldLeads(integration: "irev", offerID: "7"), now: Self.now + 20)
        XCTAssertEqual(redelivered, [leads[0].id])
        let read = try await store.lead(id: leads[0].id)
        XCTAssertEqual(read?.state, .retry(at: Self.now + 20, attempt: 2))
        let claimed = try await store.claimDue(now: Self.now + 20, limit: 10, owner: "p2", leaseSeconds: 30)
        XCTAssertEqual(claimed.map(\.id), [leads[0].id])
        XCTAssertEqual(claimed.map(\.state), [.sending(attempt: 2)], "the next attempt; the first stays on record")
        let again = try await store.redeliver(HeldLeads(integration: "irev", offerID: "7"), now: Self.now + 21)
        XCTAssertEqual(again, [], "a lead being sent is not held")
        let untouched = try await store.lead(id: leads[3].id)
        XCTAssertEqual(untouched?.state, .accepted)
    }
}
