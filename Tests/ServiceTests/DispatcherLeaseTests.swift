import Dispatch
import Foundation
import IntegrationRuntime
import LeadJSON
import Synchronization
import XCTest

@testable import LeadRelayService

/// A dispatcher keeps the leases of the leads it holds while they wait their turn in the
/// delivery engine, however long that is.
final class DispatcherLeaseTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var path: String { temporary.path + "/leadrelay.sqlite" }

    override func setUpWithError() throws { temporary = try TemporaryDirectory("lease") }
    override func tearDownWithError() throws { temporary.remove() }

    /// Wall-clock time moved forward by hand (`skip`); wake-ups in real time.
    final class SkewClock: DeliveryClock {
        let skew = Mutex(0.0)
        func now() -> Double { Date().timeIntervalSince1970 + skew.withLock { $0 } }
        func skip(_ seconds: Double) { skew.withLock { $0 += seconds } }
        func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void) {
            let nanos = Int(max(0, deadline - now()) * 1e9) + 1000
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanos), execute: body)
        }
    }

    /// A network whose every call takes `seconds` of the clock's time, then accepts.
    final class SlowNetwork: CallRunner {
        let clock: SkewClock
        let seconds: Double
        let calls = Mutex<[String]>([])
        init(clock: SkewClock, seconds: Double) {
            self.clock = clock
            self.seconds = seconds
        }
        func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
            calls.withLock { $0.append(input.lead?["id"]?.stringValue ?? "?") }
            clock.skip(seconds)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(2)) {
                completion(CallResult(value: .outcome(Outcome(.accepted, externalID: "X")), exchanges: []))
            }
        }
    }

    func insert(_ store: SQLiteStore, _ count: Int, at: Double, fields: JSONValue? = nil) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            let lead = NewLead(offerID: "7", fields: fields ?? .object(["email": .string("l\(n)@example.com")]), receivedAt: at)
            guard case .inserted(let stored) = try await store.insert(lead) else { throw StoreError.unavailable("not inserted") }
            ids.append(stored.id)
        }
        return ids
    }

    /// The lease (attempt timeout + 60 s) runs from the claim, but a claimed lead
    /// may wait in the engine's line (maxInFlightPerTarget) far longer: its own dispatcher
    /// claimed it again while it still waited, and the network got it twice (failed before
    /// the heartbeat: 3 of 8 leads sent twice, 5 flagged). Its dispatcher now renews the leases it holds.
    func testALeadWaitingInTheEnginesLineIsNotClaimedAgainAndSentTwice() async throws {
        let store = try SQLiteStore(path: path)
        let clock = SkewClock()
        let network = SlowNetwork(clock: clock, seconds: 30)
        let ids = try await insert(store, 8, at: clock.now())
        let route = LeadRoute(integration: "demo", runner: network, params: [:], offer: Offer(id: "7", name: "Offer 7"))
        let dispatcher = Dispatcher(
            store: store, routing: DispatcherTests.FixedRouting(route: route),
            configuration: .init(
                owner: "p1", batch: 8, idleSeconds: 0.02,
                engine: .init(maxInFlightPerTarget: 1, attemptTimeout: 40)),  // lease: 100 s
            clock: clock)
        let running = Task { await dispatcher.run() }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            var final = 0
            for id in ids { if try await store.lead(id: id)?.state.isFinal == true { final += 1 } }
            if final == ids.count { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        dispatcher.stop()
        await running.value
        let sent = network.calls.withLock { $0 }
        let twice = Set(sent.filter { id in sent.filter { $0 == id }.count > 1 })
        XCTAssertEqual(twice, [], "sent twice by a live dispatcher: \(twice.count) of \(ids.count) leads")
        for id in ids {
            let lead = try await store.lead(id: id)
            XCTAssertEqual(lead?.sentAgain, false, "no process died, yet lead \(id) is flagged sentAgain")
        }
    }

    /// A network that holds each call until `answer()`.
    final class HeldNetwork: CallRunner {
        let held = Mutex<[@Sendable (CallResult) -> Void]>([])
        var count: Int { held.withLock { $0.count } }
        func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
            held.withLock { $0.append(completion) }
        }
        func answer() {
            for completion in held.withLock({ $0 }) {
                completion(CallResult(value: .outcome(Outcome(.accepted, externalID: "X")), exchanges: []))
            }
        }
    }

    /// Stopping renews the leases of the attempts still in flight, which may run up to the
    /// attempt timeout after the stop: another process must not take their leads meanwhile
    /// (failed before: the lease kept the time of the last renewal and ran out first).
    func testAnAttemptInFlightAtStopKeepsItsLeadLeasedUntilItEnds() async throws {
        let store = try temporary.sealedStore()
        let clock = SkewClock()
        let network = HeldNetwork()
        let id = try await insert(store, 1, at: clock.now())[0]
        let route = LeadRoute(integration: "demo", runner: network, params: [:], offer: Offer(id: "7", name: "Offer 7"))
        let dispatcher = Dispatcher(
            store: store, routing: DispatcherTests.FixedRouting(route: route),
            configuration: .init(owner: "p1", idleSeconds: 0.02, engine: .init(attemptTimeout: 300)),  // lease: 360 s
            clock: clock)
        let running = Task { await dispatcher.run() }
        while network.count == 0 { try await Task.sleep(nanoseconds: 5_000_000) }
        clock.skip(119)  // not yet a third of a lease since the claim: no renewal
        dispatcher.stop()
        try await Task.sleep(nanoseconds: 200_000_000)
        clock.skip(250)  // past the claim's lease, within the attempt timeout after the stop
        let taken = try await store.claimDue(now: clock.now(), limit: 1, owner: "p2", leaseSeconds: 30)
        XCTAssertEqual(taken.map(\.id), [], "another process took a lead whose attempt was still in flight")
        network.answer()
        await running.value
        let lead = try await store.lead(id: id)
        XCTAssertEqual(lead?.state, .accepted)
    }
}
