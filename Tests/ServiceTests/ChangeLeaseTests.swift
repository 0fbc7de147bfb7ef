import Foundation
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import XCTest

@testable import LeadRelayService

/// A change is a durable queue entry: a dispatcher that dies with it claimed loses
/// nothing; once its lease runs out another claims it, sends it (flagged) and records it.
final class ChangeLeaseTests: XCTestCase {
    func testAChangeClaimedByADeadDispatcherIsSentOnceItsLeaseRunsOut() async throws {
        let harness = try await ChangeHarness(label: "lease")
        try await harness.start(owner: "first")
        let id = try await harness.acceptedLead(phone: "4915112340031")
        await harness.server.stop()  // the first process stops; the change is queued later

        let queued = try await harness.store.queueUpdate(
            NewUpdate(leadID: id, fields: ["comment": "late change"], receivedAt: Date().timeIntervalSince1970))
        guard case .queued(let change) = queued else { return XCTFail("\(queued)") }
        // A process claims it and dies before writing anything back.
        let now = Date().timeIntervalSince1970
        let claimed = try await harness.store.claimDueChanges(now: now, limit: 10, owner: "dead", leaseSeconds: 0.3)
        XCTAssertEqual(claimed.map(\.id), [change.id])
        let idle = try await harness.store.claimDueChanges(now: now, limit: 10, owner: "other", leaseSeconds: 30)
        XCTAssertEqual(idle, [], "a leased change is not claimed twice")

        let scripts = harness.scripts
        let changes = ChangeDispatcher(
            store: harness.store, offers: harness.store, runner: { scripts.pool($0) },
            configuration: .init(owner: "second", idleSeconds: 0.02))
        let running = Task { await changes.run() }
        let final = try await harness.finalChange(change.id)
        changes.stop()
        await running.value
        XCTAssertEqual(final?.state, .accepted, final?.outcome?.message ?? "")
        XCTAssertEqual(final?.sentAgain, true, "flagged: the dead process may have sent it")
        let attempts = try await harness.store.changeAttempts(leadID: id)
        XCTAssertEqual(attempts.map(\.attempt.sentAgain), [true])
        let external = try await harness.externalID(id)
        XCTAssertEqual(harness.emulators.store.lead(.altercpa, id: external)?.fields["comm"], "late change")
        harness.server = nil
        await harness.stop()
    }
}
