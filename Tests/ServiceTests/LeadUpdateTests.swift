import Foundation
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import XCTest

@testable import LeadRelayService

/// `PATCH /api/v1/leads/{id}` (AlterCPA's "sending upsells and changes"): the change is
/// queued on disk, merged into the lead, and sent with action `update` to the route that
/// accepted the lead (the sandbox's AlterCPA on loopback).
final class LeadUpdateTests: XCTestCase {
    var harness: ChangeHarness!

    override func setUp() async throws {
        harness = try await ChangeHarness(label: "update")
        try await harness.start()
    }

    override func tearDown() async throws { await harness.stop() }

    func testAPatchReachesTheNetworkWithActionUpdateAndTheMergedFields() async throws {
        let id = try await harness.acceptedLead(phone: "4915112340001")
        let answer = await harness.call(
            "PATCH", "/api/v1/leads/\(id)", body: #"{"first_name": "Berta", "comment": "two more boxes", "upsell": "gold"}"#)
        XCTAssertEqual(answer.status, 202, "\(String(describing: answer.json))")
        XCTAssertEqual(answer.json?["id"], .string(id))
        XCTAssertEqual(answer.json?["state"], "pending")
        XCTAssertNotNil(answer.json?["request_id"]?.stringValue)
        let changeID = try XCTUnwrap(answer.json?["change_id"]?.stringValue)
        let stored = try await harness.store.lead(id: id)
        XCTAssertEqual(stored?.fields["first_name"], "Berta", "the stored lead is merged with the change")
        XCTAssertEqual(stored?.fields["last_name"], "Schmidt")
        XCTAssertEqual(stored?.fields["extra"]?["upsell"], "gold", "an unknown field goes to extra")

        let change = try await harness.finalChange(changeID)
        XCTAssertEqual(change?.state, .accepted, change?.outcome?.message ?? "")
        XCTAssertEqual(change?.action, .update)
        let external = try await harness.externalID(id)
        let network = try XCTUnwrap(harness.emulators.store.lead(.altercpa, id: external))
        XCTAssertEqual(network.fields["name"], "Berta Schmidt", "the network got the merged lead")
        XCTAssertEqual(network.fields["comm"], "two more boxes")
        XCTAssertEqual(harness.emulators.store.leads(.altercpa).count, 1, "an update adds no lead at the network")

        let attempts = try await harness.store.changeAttempts(leadID: id)
        XCTAssertEqual(attempts.map(\.action), [.update])
        XCTAssertEqual(attempts.first?.attempt.routeID, harness.push.id, "sent to the route that accepted the lead")
        let report = attempts.first?.attempt.report.encoded() ?? ""
        XCTAssertTrue(report.contains("ext/edit.json"), report)
        XCTAssertFalse(report.contains(harness.emulators.configuration.credentials.altercpaKey), "the stored attempt is masked")

        let read = await harness.call("GET", "/api/v1/leads/\(id)")
        let changes = try XCTUnwrap(read.json?["changes"]?.arrayValue)
        XCTAssertEqual(changes.count, 1)
        XCTAssertEqual(changes.first?["id"], .string(changeID))
        XCTAssertEqual(changes.first?["action"], "update")
        XCTAssertEqual(changes.first?["state"], "accepted")
        XCTAssertEqual(changes.first?["outcome"], "accepted")
        XCTAssertFalse(JSONValue.array(changes).encoded().contains("altercpa"), "an affiliate never learns the integration")
        XCTAssertEqual(changes.first?["message"], "the change was delivered", "a neutral message, not the buyer's")
    }

    func testAFormEncodedPatchIsReadAsAPostIs() async throws {
        let id = try await harness.acceptedLead(phone: "4915112340002")
        let answer = await harness.call(
            "PATCH", "/api/v1/leads/\(id)", body: "comment=call+after+six", type: "application/x-www-form-urlencoded")
        XCTAssertEqual(answer.status, 202, "\(String(describing: answer.json))")
        let stored = try await harness.store.lead(id: id)
        XCTAssertEqual(stored?.fields["comment"], "call after six")
    }

    func testUnknownAndOtherAffiliatesLeadsAre404() async throws {
        let id = try await harness.acceptedLead(phone: "4915112340003")
        let unknown = await harness.call("PATCH", "/api/v1/leads/no-such-lead", body: #"{"comment": "x"}"#)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.json?["error"]?["code"], "not_found")
        let other = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"comment": "x"}"#, token: harness.otherToken)
        XCTAssertEqual(other.status, 404, "another affiliate's lead answers as a missing one")
        XCTAssertEqual(other.json?["error"]?["code"], "not_found")
        let none = try await harness.store.changes(leadID: id)
        XCTAssertEqual(none, [])
    }

    func testBadBodiesAre415And413And422() async throws {
        let id = try await harness.acceptedLead(phone: "4915112340004")
        let text = await harness.call("PATCH", "/api/v1/leads/\(id)", body: "comment: x", type: "text/plain")
        XCTAssertEqual(text.status, 415)
        XCTAssertEqual(text.json?["error"]?["code"], "unsupported_media_type")
        let big = #"{"comment": ""# + String(repeating: "x", count: 70 * 1024) + #""}"#
        let large = await harness.call("PATCH", "/api/v1/leads/\(id)", body: big)
        XCTAssertEqual(large.status, 413)
        let invalid = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"email": "not-an-address", "country": "Germany"}"#)
        XCTAssertEqual(invalid.status, 422)
        XCTAssertEqual(invalid.json?["error"]?["code"], "invalid_lead")
        let fields = invalid.json?["error"]?["fields"]?.arrayValue ?? []
        XCTAssertEqual(fields.compactMap { $0["field"]?.stringValue }, ["country", "email"])
        XCTAssertEqual(fields.compactMap { $0["code"]?.stringValue }, ["format", "format"])
        let empty = await harness.call("PATCH", "/api/v1/leads/\(id)", body: "{}")
        XCTAssertEqual(empty.status, 422, "an empty change")
        XCTAssertEqual(empty.json?["error"]?["code"], "invalid_lead")
        let offer = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"offer_id": "8"}"#)
        XCTAssertEqual(offer.json?["error"]?["fields"]?.arrayValue?.first?["code"], "read_only")
        let none = try await harness.store.changes(leadID: id)
        XCTAssertEqual(none, [], "nothing refused is queued")
    }

    func testALeadNotAcceptedIs409NotDelivered() async throws {
        // No phone: the altercpa script rejects the lead (invalid_data) without an external id.
        let body = #"{"offer_id": "7", "first_name": "Anna", "email": "nophone@example.com", "ip": "203.0.113.7"}"#
        let posted = await harness.call("POST", "/api/v1/leads", body: body)
        let id = try XCTUnwrap(posted.json?["id"]?.stringValue)
        let lead = try await harness.eventually({ try await harness.store.lead(id: id) }, until: { $0?.state.isFinal == true })
        XCTAssertEqual(lead?.state, .rejected)
        let answer = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"comment": "x"}"#)
        XCTAssertEqual(answer.status, 409)
        XCTAssertEqual(answer.json?["error"]?["code"], "not_delivered")
    }

    func testARouteWhoseScriptHasNoUpdateIs409WithANeutralMessage() async throws {
        let id = try await harness.acceptedLead(offer: "8", phone: "4915112340005")
        let answer = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"comment": "x"}"#)
        XCTAssertEqual(answer.status, 409, "\(String(describing: answer.json))")
        XCTAssertEqual(answer.json?["error"]?["code"], "update_not_supported")
        XCTAssertEqual(answer.json?["error"]?["message"], "this lead cannot be updated")
        XCTAssertFalse(answer.json?.encoded().contains("irev") ?? true)
    }

    func testAnIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() async throws {
        let id = try await harness.acceptedLead(phone: "4915112340006")
        let key = [("idempotency-key", "k-1")]
        let first = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"comment": "a"}"#, headers: key)
        let again = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"comment": "a"}"#, headers: key)
        XCTAssertEqual(first.status, 202)
        XCTAssertEqual(again.status, 202)
        XCTAssertEqual(again.json?["change_id"], first.json?["change_id"])
        let other = await harness.call("PATCH", "/api/v1/leads/\(id)", body: #"{"comment": "b"}"#, headers: key)
        XCTAssertEqual(other.status, 409)
        XCTAssertEqual(other.json?["error"]?["code"], "idempotency_key_reused")
        let changes = try await harness.store.changes(leadID: id)
        XCTAssertEqual(changes.count, 1)
    }
}
