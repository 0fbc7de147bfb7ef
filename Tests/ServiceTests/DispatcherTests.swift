import Dispatch
import Foundation
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import Synchronization
import XCTest

@testable import LeadRelayService

/// The dispatcher over a real SQLite store and a fake network: every lead reaches a final
/// outcome or is due again, attempts are recorded, a dead process's leads are taken over.
final class DispatcherTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var directory = ""
    var store: SQLiteStore!

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("dispatch")
        directory = temporary.path
        store = try temporary.sealedStore()
    }

    override func tearDownWithError() throws { temporary.remove() }

    /// A network that answers each call with `answer(input)` a moment later, on another thread.
    final class FakeNetwork: CallRunner {
        let calls = Mutex<[CallInput]>([])
        let answer: @Sendable (CallInput) -> Outcome?
        init(_ answer: @escaping @Sendable (CallInput) -> Outcome?) { self.answer = answer }

        func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
            calls.withLock { $0.append(input) }
            guard let outcome = answer(input) else { return }  // nil: never answers
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(2)) {
                let exchange = Exchange(request: OutboundRequest(url: "https://crm.example/leads"), response: OutboundResponse(status: 200))
                completion(CallResult(value: .outcome(outcome), exchanges: [exchange]))
            }
        }
        var count: Int { calls.withLock { $0.count } }
    }

    struct FixedRouting: LeadRouting {
        let route: LeadRoute?
        func route(for lead: StoredLead) async throws(StoreError) -> LeadRoute? { route }
    }

    func dispatcher(
        _ network: (any CallRunner)?, owner: String = "p1", attempts: Int = 3, lease: Double = 30,
        inFlightPerTarget: Int = 64
    ) -> Dispatcher {
        let route = network.map {
            LeadRoute(integration: "demo", runner: $0, params: ["key": .string("k")], offer: Offer(id: "7", name: "Offer 7"))
        }
        let retry = RetryPolicy(maxAttempts: attempts, baseDelay: 0.05, multiplier: 1, maxDelay: 0.05, jitter: .none)
        return Dispatcher(
            store: store, routing: FixedRouting(route: route),
            configuration: .init(
                owner: owner, batch: 8, leaseSeconds: lease, idleSeconds: 0.02,
                engine: .init(maxInFlightPerTarget: inFlightPerTarget, retry: retry, attemptTimeout: 10)))
    }

    func insert(_ count: Int) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            let lead = NewLead(
                offerID: "7", fields: .object(["email": .string("l\(n)@example.com")]), receivedAt: Date().timeIntervalSince1970)
            guard case .inserted(let stored) = try await store.insert(lead) else { throw StoreError.unavailable("not inserted") }
            ids.append(stored.id)
        }
        return ids
    }

    /// Runs `dispatcher` until every lead of `ids` is final (at most `seconds`), then stops it.
    func deliver(_ ids: [String], with dispatcher: Dispatcher, seconds: Double = 20) async throws -> [StoredLead] {
        let running = Task { await dispatcher.run() }
        let deadline = Date().addingTimeInterval(seconds)
        var leads: [StoredLead] = []
        while Date() < deadline {
            leads = []
            for id in ids { if let lead = try await store.lead(id: id) { leads.append(lead) } }
            if leads.count == ids.count, leads.allSatisfy(\.state.isFinal) { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        dispatcher.stop()
        await running.value
        return leads
    }

    func testEveryLeadIsDeliveredOnceWithItsAttemptRecorded() async throws {
        let network = FakeNetwork { input in Outcome(.accepted, externalID: "X-" + (input.lead?["id"]?.stringValue ?? "?")) }
        let ids = try await insert(40)
        let leads = try await deliver(ids, with: dispatcher(network))
        XCTAssertEqual(leads.map(\.state), Array(repeating: .accepted, count: 40))
        XCTAssertEqual(network.count, 40)
        XCTAssertEqual(
            Set(network.calls.withLock { $0.compactMap { $0.lead?["id"]?.stringValue } }), Set(ids), "ctx.lead.id is the stored id")
        for lead in leads { XCTAssertEqual(lead.outcome?.externalID, "X-" + lead.id) }
        let sent = network.calls.withLock { calls in calls.first { $0.lead?["id"]?.stringValue == ids[0] } }
        let first = try XCTUnwrap(leads.first { $0.id == ids[0] })
        XCTAssertEqual(
            sent?.lead?["created_at"]?.stringValue, ISO8601.format(Int64(first.receivedAt)),
            "ctx.lead.created_at is when the lead was received (ISO 8601 UTC)")
        let attempts = try await store.attempts(leadID: ids[0])
        XCTAssertEqual(attempts.map(\.number), [1])
        XCTAssertEqual(attempts.first?.integration, "demo")
        XCTAssertEqual(attempts.first?.report["exchanges"]?.arrayValue?.count, 1)
        XCTAssertEqual(attempts.first?.sentAgain, false)
    }

    func testARetryIsStoredAndTheNextAttemptComesFromTheStore() async throws {
        let network = FakeNetwork { input in
            input.attempt == 1 ? Outcome(.retry, reason: .unavailable) : Outcome(.accepted, externalID: "X")
        }
        let ids = try await insert(3)
        let leads = try await deliver(ids, with: dispatcher(network))
        XCTAssertEqual(leads.map(\.state), [.accepted, .accepted, .accepted])
        XCTAssertEqual(network.calls.withLock { $0.map(\.attempt) }.sorted(), [1, 1, 1, 2, 2, 2])
        let attempts = try await store.attempts(leadID: ids[0])
        XCTAssertEqual(attempts.map(\.outcome.kind), [.retry, .accepted])
    }

    func testRetriesEndInErrorAfterTheLastAttemptCountedAcrossClaims() async throws {
        let network = FakeNetwork { _ in Outcome(.retry, reason: .unavailable, message: "busy") }
        let ids = try await insert(1)
        let leads = try await deliver(ids, with: dispatcher(network, attempts: 3))
        XCTAssertEqual(leads.map(\.state), [.error])
        XCTAssertEqual(network.count, 3)
        XCTAssertEqual(
            leads.first?.outcome?.message,
            "gave up after 3 attempts: the last one ended retry (unavailable): busy; the lead is kept for redelivery")
    }

    /// A process claimed leads and died: once their leases run out another dispatcher
    /// delivers them, flagged as possibly sent twice.
    func testADeadProcesssLeadsAreTakenOverAndFlagged() async throws {
        let ids = try await insert(5)
        let dead = try await store.claimDue(now: Date().timeIntervalSince1970, limit: 5, owner: "dead", leaseSeconds: 0.3)
        XCTAssertEqual(dead.count, 5)
        let network = FakeNetwork { _ in Outcome(.accepted, externalID: "X") }
        let leads = try await deliver(ids, with: dispatcher(network, owner: "p2"))
        XCTAssertEqual(leads.map(\.state), Array(repeating: .accepted, count: 5))
        XCTAssertEqual(leads.map(\.sentAgain), Array(repeating: true, count: 5))
        let attempts = try await store.attempts(leadID: ids[0])
        XCTAssertEqual(attempts.map(\.sentAgain), [true])
    }

    func testALeadWithoutARouteEndsErrorKept() async throws {
        let ids = try await insert(1)
        let leads = try await deliver(ids, with: dispatcher(nil))
        XCTAssertEqual(leads.map(\.state), [.error])
        XCTAssertEqual(leads.first?.outcome?.message, "offer 7 has no route to deliver through; the lead is kept for redelivery")
    }

    /// Stopping with leads claimed but not started (one attempt at a time, the network
    /// slow to answer) gives them back to the store: none is left leased.
    func testStoppingGivesBackWhatWasNotStarted() async throws {
        let network = FakeNetwork { _ in nil }  // the first attempt never ends
        let ids = try await insert(6)
        let dispatcher = dispatcher(network, inFlightPerTarget: 1)
        let running = Task { await dispatcher.run() }
        while network.count == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
        dispatcher.stop()
        // The one attempt in flight never ends: run waits for it, so do not await `running`.
        try await Task.sleep(nanoseconds: 200_000_000)
        var states: [DeliveryState] = []
        for id in ids { if let lead = try await store.lead(id: id) { states.append(lead.state) } }
        XCTAssertEqual(
            states.filter { if case .sending = $0 { return true } else { return false } }.count, 1,
            "only the attempt in flight stays leased: \(states)")
        XCTAssertEqual(states.filter { if case .retry(_, 1) = $0 { return true } else { return false } }.count, 5, "\(states)")
        running.cancel()
    }

    /// An offer store that is unavailable.
    struct DownOffers: OfferStore {
        func save(_ offer: StoredOffer) async throws(StoreError) { throw .unavailable("database is locked") }
        func offer(id: String) async throws(StoreError) -> StoredOffer? { throw .unavailable("database is locked") }
        func save(_ route: OfferRoute) async throws(StoreError) -> OfferRoute { throw .unavailable("database is locked") }
        func routes(offerID: String) async throws(StoreError) -> [OfferRoute] { throw .unavailable("database is locked") }
        func acceptedCount(routeID: Int64, since: Double, excludingRun: String) async throws(StoreError) -> Int {
            throw .unavailable("database is locked")
        }
        func offers() async throws(StoreError) -> [StoredOffer] { throw .unavailable("database is locked") }
        func add(_ offer: StoredOffer) async throws(StoreError) -> StoredOffer { throw .unavailable("database is locked") }
        func route(id: Int64) async throws(StoreError) -> OfferRoute? { throw .unavailable("database is locked") }
        func removeRoute(id: Int64) async throws(StoreError) { throw .unavailable("database is locked") }
    }

    /// A store error while routing (a locked database, another secrets key) is not "no route":
    /// the lead is due again, not ended `error` (failed before: it ended error, "no route").
    func testAStoreErrorWhileRoutingDoesNotEndTheLeadError() async throws {
        let ids = try await insert(1)
        let routing = StoreRouting(offers: DownOffers()) { _ in nil }
        let dispatcher = Dispatcher(store: store, routing: routing, configuration: .init(owner: "p1", idleSeconds: 0.02))
        let running = Task { await dispatcher.run() }
        try await Task.sleep(nanoseconds: 300_000_000)
        dispatcher.stop()
        await running.value
        let lead = try await store.lead(id: ids[0])
        XCTAssertNotEqual(lead?.state, .error, "ended error: \(lead?.outcome?.message ?? "-")")
    }

    /// The lead's password reaches the network but no stored attempt shows it.
    func testTheStoredAttemptHidesTheLeadsPassword() async throws {
        let echo = PasswordEcho()
        let lead = NewLead(
            offerID: "7", fields: .object(["email": .string("a@example.com"), "password": .string("Hunter2-pw-77")]),
            receivedAt: Date().timeIntervalSince1970)
        guard case .inserted(let stored) = try await store.insert(lead) else { return XCTFail("not inserted") }
        let leads = try await deliver([stored.id], with: dispatcher(echo))
        XCTAssertEqual(leads.map(\.state), [.accepted])
        XCTAssertEqual(echo.passwords.withLock { $0 }, ["Hunter2-pw-77"], "the script gets the password")
        let attempts = try await store.attempts(leadID: stored.id)
        let report = attempts.first?.report.encoded() ?? ""
        XCTAssertTrue(report.contains("exchanges"), report)
        XCTAssertFalse(report.contains("Hunter2-pw-77"), report)
    }
}

/// A network that echoes the lead's password in the request it records.
final class PasswordEcho: CallRunner {
    let passwords = Mutex<[String]>([])

    func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
        let password = input.lead?["password"]?.stringValue ?? ""
        passwords.withLock { $0.append(password) }
        let request = OutboundRequest(url: "https://crm.example/leads", body: Array("{\"password\":\"\(password)\"}".utf8))
        completion(
            CallResult(
                value: .outcome(Outcome(.accepted, externalID: "X")),
                exchanges: [Exchange(request: request, response: OutboundResponse(status: 200))]))
    }
}
