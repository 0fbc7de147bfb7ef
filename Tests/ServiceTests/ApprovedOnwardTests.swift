import Foundation
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import XCTest

@testable import LeadRelayService

/// AlterCPA's "sending approved leads to CRM": when a lead's stage becomes approve, its
/// offer's on-approve route gets it once with action `approved` (the sandbox's AlterCPA
/// merchant API); the on-approve route takes no push.
final class ApprovedOnwardTests: XCTestCase {
    var harness: ChangeHarness!

    override func setUp() async throws { harness = try await ChangeHarness(label: "approved") }

    override func tearDown() async throws { await harness.stop() }

    func approve(_ leadID: String, status: String) async throws -> StatusRecording {
        let external = try await harness.externalID(leadID)
        return try await harness.store.record(
            [StatusUpdate(externalID: external, stage: .approve, status: status)], routeID: harness.push.id, source: .approved,
            now: Date().timeIntervalSince1970)
    }

    func testAnApprovedLeadGoesOnceToTheOnApproveRoute() async throws {
        let onApprove = try await harness.store.save(
            harness.route(offer: "7", integration: "altercpa", params: harness.altercpaParams, token: "t-approve", onApprove: true))
        try await harness.start()
        let id = try await harness.acceptedLead(phone: "4915112340011")
        let first = try await approve(id, status: "approved")
        XCTAssertEqual(first.changes.map(\.to), [.approve])
        let queued = try await harness.store.changes(leadID: id)
        XCTAssertEqual(queued.map(\.action), [.approved])
        XCTAssertEqual(queued.first?.routeID, onApprove.id)
        let change = try await harness.finalChange(try XCTUnwrap(queued.first?.id))
        XCTAssertEqual(change?.state, .accepted, change?.outcome?.message ?? "")
        let orders = harness.emulators.store.leads(.altercpa)
        XCTAssertEqual(orders.count, 2, "the pushed lead and the merchant's order")

        // A later approve update (another status) and a stage that leaves and comes back
        // queue nothing more: one approved delivery per lead.
        _ = try await approve(id, status: "paid")
        let external = try await harness.externalID(id)
        _ = try await harness.store.record(
            [StatusUpdate(externalID: external, stage: .trash, status: "fraud")], routeID: harness.push.id, source: .approved,
            now: Date().timeIntervalSince1970)
        _ = try await approve(id, status: "approved again")
        let after = try await harness.store.changes(leadID: id)
        XCTAssertEqual(after.count, 1, "exactly one approved change")
        let attempts = try await harness.store.changeAttempts(leadID: id)
        XCTAssertEqual(attempts.map(\.action), [.approved])
        XCTAssertEqual(attempts.first?.attempt.routeID, onApprove.id)
        XCTAssertTrue(attempts.first?.attempt.report.encoded().contains("comp/add.json") ?? false)
    }

    func testNoOnApproveRouteQueuesNothing() async throws {
        try await harness.start()
        let id = try await harness.acceptedLead(phone: "4915112340012")
        let recording = try await approve(id, status: "approved")
        XCTAssertEqual(recording.changes.map(\.to), [.approve], "the stage is recorded")
        let changes = try await harness.store.changes(leadID: id)
        XCTAssertEqual(changes, [])
    }

    /// A test lead (the test window's live call) is never sent onward, even when its stage
    /// becomes approve: buyers see no test lead (issue 12 point 10).
    func testATestLeadIsNotSentOnward() async throws {
        _ = try await harness.store.save(
            harness.route(offer: "7", integration: "altercpa", params: harness.altercpaParams, token: "t-approve", onApprove: true))
        let now = Date().timeIntervalSince1970
        var lead = NewLead(offerID: "7", fields: .object(["email": .string("test@example.com")]), receivedAt: now)
        lead.isTest = true
        let attempt = AttemptRecord(
            leadID: "L-test", number: 1, integration: "altercpa", startedAt: now, endedAt: now,
            outcome: Outcome(.accepted, externalID: "T-1"), report: .object([:]), routeID: harness.push.id)
        try await harness.store.storeTestLead(id: "L-test", lead, attempt: attempt, state: .accepted)
        let recording = try await harness.store.record(
            [StatusUpdate(externalID: "T-1", stage: .approve, status: "approved")], routeID: harness.push.id, source: .approved,
            now: now)
        XCTAssertEqual(recording.changes.map(\.to), [.approve], "the test lead's stage is recorded")
        let changes = try await harness.store.changes(leadID: "L-test")
        XCTAssertEqual(changes, [], "no approved change for a test lead")
    }

    func testTheOnApproveRouteNeverGetsPushes() async throws {
        // First by priority, yet never chosen for a push.
        var onApprove = try harness.route(
            offer: "7", integration: "altercpa", params: harness.altercpaParams, token: "t-approve", onApprove: true)
        onApprove.priority = -10
        let saved = try await harness.store.save(onApprove)
        try await harness.start()
        for n in 0..<3 {
            let id = try await harness.acceptedLead(phone: "491511234002\(n)")
            let attempts = try await harness.store.attempts(leadID: id)
            XCTAssertEqual(attempts.map(\.routeID), [harness.push.id], "pushed through the push route, not \(saved.id)")
        }
    }

    func testAnOnApproveRouteNeedsAScriptWithApprovedAndIsOnePerOffer() async throws {
        let admin = Administration(store: harness.store, routes: RouteSetup(directory: harness.scripts))
        let irev = StatusSandboxNetworksTests.params(harness.emulators)[.irev] ?? [:]
        var request = RouteRequest(offerID: "8", integration: "irev", params: irev)
        request.onApprove = true
        do {
            _ = try await admin.addRoute(request)
            XCTFail("irev has no approved action")
        } catch {
            XCTAssertTrue("\(error)".contains("approved"), "\(error)")
        }
        var altercpa = RouteRequest(offerID: "7", integration: "altercpa", params: harness.altercpaParams)
        altercpa.onApprove = true
        let (route, _) = try await admin.addRoute(altercpa)
        XCTAssertTrue(route.onApprove)
        XCTAssertEqual(route.displayed["on_approve"], .bool(true), "the listing shows it")
        do {
            _ = try await admin.addRoute(altercpa)
            XCTFail("a second on-approve route")
        } catch {
            XCTAssertTrue("\(error)".contains("on-approve route already"), "\(error)")
        }
    }
}
