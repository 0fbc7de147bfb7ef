import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// An offer's rotation through its stored routes, delivered by the dispatcher: rejections
/// the offer names fall through to the next route, daily caps send leads on, working hours
/// hold them, and a rejection the offer does not name ends the lead.
final class FallThroughTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!

    override func setUp() async throws {
        temporary = try TemporaryDirectory("fall-through")
        store = try temporary.sealedStore()
    }

    override func tearDown() async throws { temporary.remove() }

    func saveRoute(_ integration: String, priority: Int, cap: Int? = nil, hours: String? = nil) async throws -> OfferRoute {
        try await store.save(
            OfferRoute(
                offerID: "7", integration: integration, priority: priority, dailyCap: cap, hours: hours.flatMap(WorkingHours.init),
                postbackToken: "t-\(integration)"))
    }

    func insert(_ count: Int) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            let lead = NewLead(
                offerID: "7", fields: .object(["email": .string("l\(n)@example.com"), "country": .string("DE")]),
                receivedAt: Date().timeIntervalSince1970)
            guard case .inserted(let stored) = try await store.insert(lead) else { throw StoreError.unavailable("not inserted") }
            ids.append(stored.id)
        }
        return ids
    }

    /// Delivers through networks by integration name until every lead is final or held.
    func deliver(_ ids: [String], networks: [String: DispatcherTests.FakeNetwork], until done: ([StoredLead]) -> Bool) async throws
        -> [StoredLead]
    {
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { networks[$0] },
            configuration: .init(owner: "p1", idleSeconds: 0.01))
        let running = Task { await dispatcher.run() }
        var leads: [StoredLead] = []
        for _ in 0..<500 {
            leads = []
            for id in ids { if let lead = try await store.lead(id: id) { leads.append(lead) } }
            if done(leads) { break }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        dispatcher.stop()
        await running.value
        return leads
    }

    func testACapReachedRejectionFallsThroughToTheNextRoute() async throws {
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        let first = try await saveRoute("first", priority: 1)
        _ = try await saveRoute("second", priority: 2)
        let full = DispatcherTests.FakeNetwork { _ in Outcome(.rejected, reason: .capReached, message: "cap") }
        let taker = DispatcherTests.FakeNetwork { _ in Outcome(.accepted, externalID: "B-1") }
        let ids = try await insert(3)
        let leads = try await deliver(ids, networks: ["first": full, "second": taker]) { $0.allSatisfy(\.state.isFinal) }
        XCTAssertEqual(leads.map(\.state), [.accepted, .accepted, .accepted])
        XCTAssertEqual(leads.map(\.routesTried), Array(repeating: [first.id], count: 3))
        XCTAssertEqual([full.count, taker.count], [3, 3])
        let attempts = try await store.attempts(leadID: ids[0])
        XCTAssertEqual(attempts.map(\.integration), ["first", "second"])
        XCTAssertEqual(attempts.map(\.number), [1, 2])
        XCTAssertEqual(attempts.map(\.outcome.kind), [.rejected, .accepted])
    }

    func testARejectionTheOfferDoesNotNameEndsTheLead() async throws {
        try await store.save(StoredOffer(id: "7", name: "Crypto DE", fallThrough: [.capReached]))
        _ = try await saveRoute("first", priority: 1)
        _ = try await saveRoute("second", priority: 2)
        let strict = DispatcherTests.FakeNetwork { _ in Outcome(.rejected, reason: .duplicate, message: "seen") }
        let taker = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let ids = try await insert(1)
        let leads = try await deliver(ids, networks: ["first": strict, "second": taker]) { $0.allSatisfy(\.state.isFinal) }
        XCTAssertEqual(leads.map(\.state), [.rejected])
        XCTAssertEqual(leads.first?.outcome?.reason, .duplicate)
        XCTAssertEqual(taker.count, 0)
    }

    func testWhenEveryRouteFallsThroughTheLastRejectionStands() async throws {
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await saveRoute("first", priority: 1)
        _ = try await saveRoute("second", priority: 2)
        let full = DispatcherTests.FakeNetwork { _ in Outcome(.rejected, reason: .capReached, message: "cap") }
        let filtering = DispatcherTests.FakeNetwork { _ in Outcome(.rejected, reason: .filtered, message: "not our audience") }
        let ids = try await insert(1)
        let leads = try await deliver(ids, networks: ["first": full, "second": filtering]) { $0.allSatisfy(\.state.isFinal) }
        XCTAssertEqual(leads.map(\.state), [.rejected])
        XCTAssertEqual(leads.first?.outcome?.reason, .filtered)
        XCTAssertEqual([full.count, filtering.count], [1, 1], "each route once")
    }

    func testADailyCapSendsLeadsOnAndEveryRouteCappedRejectsCapReached() async throws {
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await saveRoute("first", priority: 1, cap: 2)
        _ = try await saveRoute("second", priority: 2, cap: 1)
        let a = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let b = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let ids = try await insert(5)
        let leads = try await deliver(ids, networks: ["first": a, "second": b]) { $0.allSatisfy(\.state.isFinal) }
        XCTAssertEqual(leads.filter { $0.state == .accepted }.count, 3, "\(leads.map(\.state))")
        XCTAssertEqual([a.count, b.count], [2, 1], "a cap is never exceeded, even with leads in flight")
        let capped = leads.filter { $0.state == .rejected }
        XCTAssertEqual(capped.count, 2)
        XCTAssertEqual(capped.compactMap(\.outcome?.reason), [.capReached, .capReached])
    }

    /// A new dispatcher run (a restart) counts what earlier runs had the route accept from the store.
    func testACapCountsTheAcceptedLeadsOfEarlierRuns() async throws {
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await saveRoute("first", priority: 1, cap: 2)
        _ = try await saveRoute("second", priority: 2)
        let a = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let b = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let before = try await insert(2)
        _ = try await deliver(before, networks: ["first": a, "second": b]) { $0.allSatisfy(\.state.isFinal) }
        let after = try await insert(2)
        let leads = try await deliver(after, networks: ["first": a, "second": b]) { $0.allSatisfy(\.state.isFinal) }
        XCTAssertEqual(leads.map(\.state), [.accepted, .accepted])
        XCTAssertEqual([a.count, b.count], [2, 2], "the first route's cap was reached in the earlier run")
    }

    func testOutsideItsHoursALeadIsHeldUntilTheWindowOpens() async throws {
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        // A window that is closed now whatever the time: every day, one minute, 12 hours from now.
        let opens = Date().addingTimeInterval(12 * 3600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute], from: opens)
        let start = parts.hour! * 60 + parts.minute!
        let end = start + 1  // 1440 is written 24:00
        let clock = { (minutes: Int) in String(format: "%02d:%02d", minutes / 60, minutes % 60) }
        _ = try await saveRoute("night", priority: 1, hours: "* \(clock(start))-\(clock(end)) UTC")
        let network = DispatcherTests.FakeNetwork { _ in Outcome(.accepted) }
        let ids = try await insert(1)
        let leads = try await deliver(ids, networks: ["night": network]) { leads in
            leads.allSatisfy { if case .retry = $0.state { return true } else { return false } }
        }
        guard case .retry(let at, let attempt) = leads.first?.state else { return XCTFail("not held: \(leads.map(\.state))") }
        XCTAssertEqual(attempt, 1, "holding is not an attempt")
        XCTAssertEqual(at, (opens.timeIntervalSince1970 / 60).rounded(.down) * 60, accuracy: 61)
        XCTAssertEqual(network.count, 0)
    }
}
