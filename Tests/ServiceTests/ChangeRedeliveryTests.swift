import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// A change of a delivered lead held in `error` is named by `POST /api/v1/admin/redeliver`
/// beside the leads, made due again and delivered by the running change dispatcher.
final class ChangeRedeliveryTests: XCTestCase {
    func testAChangeHeldInErrorIsRedeliveredAndDelivered() async throws {
        let harness = try await ChangeHarness(label: "change-redeliver")
        try await harness.start(owner: "first")
        let leadID = try await harness.acceptedLead(phone: "4915112340051")
        await harness.server.stop()  // no change dispatcher runs while the change is made to fail

        let queued = try await harness.store.queueUpdate(
            NewUpdate(leadID: leadID, fields: ["comment": "held change"], receivedAt: Date().timeIntervalSince1970))
        guard case .queued(let change) = queued else { return XCTFail("\(queued)") }
        let now = Date().timeIntervalSince1970
        let claimed = try await harness.store.claimDueChanges(now: now, limit: 10, owner: "failing", leaseSeconds: 30)
        XCTAssertEqual(claimed.map(\.id), [change.id])
        try await harness.store.completeChange(
            AttemptRecord(
                leadID: change.id, number: 1, integration: "altercpa", startedAt: now, endedAt: now,
                outcome: .error("the script failed"), report: .object([:]), routeID: harness.push.id),
            state: .error, owner: "failing", now: now)
        let held = try await harness.store.change(id: change.id)
        XCTAssertEqual(held?.state, .error)

        try await harness.start(owner: "second")
        try await harness.store.save(Employee(id: "E1", name: "Ops", role: .manager))
        let employee = try await harness.store.issueEmployeeKey(
            employeeID: "E1", allowlist: [IPRange(from: "127.0.0.1")!], expiresAt: Date().timeIntervalSince1970 + 600
        ).1.text
        let other = await harness.call(
            "POST", "/api/v1/admin/redeliver", body: #"{"integration": "irev", "dry_run": true}"#, token: employee)
        XCTAssertEqual(other.status, 200, "\(String(describing: other.json))")
        XCTAssertEqual(other.json?["changes"], .array([]), "the change goes through altercpa")
        let listed = await harness.call(
            "POST", "/api/v1/admin/redeliver", body: #"{"integration": "altercpa", "offer_id": "7", "dry_run": true}"#, token: employee)
        let named = JSONValue.object(["id": .string(change.id), "lead_id": .string(leadID), "action": "update"])
        XCTAssertEqual(listed.json?["changes"], .array([named]))
        XCTAssertEqual(listed.json?["leads"], .array([]), "reported apart from the leads")
        let still = try await harness.store.change(id: change.id)
        XCTAssertEqual(still?.state, .error, "a dry run changes nothing")

        let done = await harness.call("POST", "/api/v1/admin/redeliver", body: #"{"offer_id": "7"}"#, token: employee)
        XCTAssertEqual(done.status, 200, "\(String(describing: done.json))")
        XCTAssertEqual(done.json?["changes"], .array([named]))
        XCTAssertEqual(done.json?["change_count"], .integer(1))
        let final = try await harness.finalChange(change.id)
        XCTAssertEqual(final?.state, .accepted, final?.outcome?.message ?? "")
        let attempts = try await harness.store.changeAttempts(leadID: leadID)
        XCTAssertEqual(attempts.map(\.attempt.number), [1, 2], "the failed attempt stays on record")
        let external = try await harness.externalID(leadID)
        XCTAssertEqual(harness.emulators.store.lead(.altercpa, id: external)?.fields["comm"], "held change")
        await harness.stop()
    }
}
