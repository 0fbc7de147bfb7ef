import Foundation
import Host
import LeadJSON
import XCTest

@testable import IntegrationRuntime

/// `ExpectationMatcher`: a fixture's `expect` against a call's result. Only the listed fields
/// are checked, each exactly; updates in number and order. Cases that must match and cases
/// that must not (a matcher that accepted everything fails this suite).
final class ExpectationMatcherTests: XCTestCase {
    static func expect(_ json: String) -> [String: JSONValue] {
        (try? JSONValue.parse(Array(json.utf8)))?.objectValue ?? ["unparsable": .string(json)]
    }

    func assertMatches(_ expect: String, _ result: CallResult, file: StaticString = #filePath, line: UInt = #line) {
        let d = ExpectationMatcher.difference(Self.expect(expect), result)
        XCTAssertNil(d, "\(expect) vs \(result.json.encoded()): \(d?.description ?? "")", file: file, line: line)
    }

    func assertDiffers(_ expect: String, _ result: CallResult, at path: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let d = ExpectationMatcher.difference(Self.expect(expect), result) else {
            return XCTFail("\(expect) matched \(result.json.encoded())", file: file, line: line)
        }
        XCTAssertEqual(d.path, path, d.description, file: file, line: line)
    }

    static let accepted = CallResult(
        value: .outcome(
            Outcome(
                .accepted, message: "created as 42", externalID: "42", redirectURL: "https://brand.example/in/42",
                extra: .object(["balance": .integer(3)]))))
    static let rejected = CallResult(value: .outcome(Outcome(.rejected, reason: .duplicate, message: "Email already exists")))
    static let retry = CallResult(value: .outcome(Outcome(.retry, reason: .rateLimited, retryAfter: 60)))
    static let failed = CallResult(value: .outcome(.error("clixnow.lua:12: attempt to index a nil value")))

    static func update(_ externalID: String?, leadID: String? = nil, _ stage: StatusUpdate.Stage, status: String) -> StatusUpdate {
        var fields: [String: JSONValue] = ["stage": .string(stage.rawValue), "status": .string(status)]
        if let externalID { fields["external_id"] = .string(externalID) }
        if let leadID { fields["lead_id"] = .string(leadID) }
        return StatusUpdate(externalID: externalID, leadID: leadID, stage: stage, status: status, fields: fields)
    }

    static let updates = CallResult(
        value: .updates([
            update("x-1", .approve, status: "FTD"), update(nil, leadID: "L-2", .trash, status: "Invalid"),
        ]))

    func testOutcomeFields() {
        let r = Self.accepted
        assertMatches(#"{ "outcome": "accepted" }"#, r)
        assertMatches(#"{ "outcome": "accepted", "external_id": "42", "redirect_url": "https://brand.example/in/42" }"#, r)
        assertMatches(#"{ "extra": { "balance": 3 } }"#, r)
        assertDiffers(#"{ "outcome": "rejected" }"#, r, at: "expect.outcome")
        assertDiffers(#"{ "outcome": "accepted", "external_id": "43" }"#, r, at: "expect.external_id")
        assertDiffers(#"{ "outcome": "accepted", "external_id": 42 }"#, r, at: "expect.external_id")
        assertDiffers(#"{ "outcome": "accepted", "reason": "duplicate" }"#, r, at: "expect.reason")
        assertDiffers(#"{ "outcome": "accepted", "retry_after": 60 }"#, r, at: "expect.retry_after")
        assertDiffers(#"{ "redirect_url": "https://brand.example/in/43" }"#, r, at: "expect.redirect_url")
        assertDiffers(#"{ "extra": { "balance": 3, "currency": "EUR" } }"#, r, at: "expect.extra.currency")
        assertDiffers(#"{ "extra": {} }"#, r, at: "expect.extra.balance")
        assertDiffers(#"{ "updates": [] }"#, r, at: "expect.updates")
    }

    func testReasonAndRetryAfter() {
        assertMatches(#"{ "outcome": "rejected", "reason": "duplicate" }"#, Self.rejected)
        assertDiffers(#"{ "outcome": "rejected", "reason": "invalid_data" }"#, Self.rejected, at: "expect.reason")
        assertMatches(#"{ "outcome": "retry", "reason": "rate_limited", "retry_after": 60 }"#, Self.retry)
        assertMatches(#"{ "retry_after": 60.0 }"#, Self.retry)
        assertDiffers(#"{ "retry_after": 61 }"#, Self.retry, at: "expect.retry_after")
        assertDiffers(#"{ "retry_after": "60" }"#, Self.retry, at: "expect.retry_after")
    }

    func testMessageContains() {
        assertMatches(#"{ "outcome": "rejected", "message_contains": "already exists" }"#, Self.rejected)
        assertMatches(#"{ "message_contains": "Email already exists" }"#, Self.rejected)
        assertDiffers(#"{ "message_contains": "already exist!" }"#, Self.rejected, at: "expect.message_contains")
        assertDiffers(#"{ "message_contains": "email already" }"#, Self.rejected, at: "expect.message_contains")
        assertDiffers(#"{ "message_contains": "anything" }"#, Self.retry, at: "expect.message_contains")
        // The message of an error, too, when the case expects the error.
        assertMatches(#"{ "outcome": "error", "message_contains": "attempt to index" }"#, Self.failed)
        assertDiffers(#"{ "outcome": "error", "message_contains": "timeout" }"#, Self.failed, at: "expect.message_contains")
    }

    /// A call that failed where the case expects something else: the diff says why it failed.
    func testAnErrorWhereAnotherOutcomeIsExpectedShowsItsMessage() throws {
        assertDiffers(#"{ "outcome": "accepted" }"#, Self.failed, at: "expect.outcome")
        assertDiffers(#"{ "external_id": "42" }"#, Self.failed, at: "expect.outcome")
        assertDiffers(#"{ "updates": [] }"#, Self.failed, at: "expect.outcome")
        let d = try XCTUnwrap(ExpectationMatcher.difference(Self.expect(#"{ "outcome": "accepted" }"#), Self.failed))
        XCTAssertTrue(d.actual.contains("attempt to index a nil value"), d.description)
    }

    func testUpdatesInNumberOrderAndListedFields() {
        let r = Self.updates
        assertMatches(#"{ "updates": [ { "external_id": "x-1", "stage": "approve" }, { "lead_id": "L-2", "stage": "trash" } ] }"#, r)
        assertMatches(#"{ "updates": [ { "external_id": "x-1", "stage": "approve", "status": "FTD" }, { "status": "Invalid" } ] }"#, r)
        assertMatches(#"{ "updates": [ {}, {} ] }"#, r)
        // Count.
        assertDiffers(#"{ "updates": [] }"#, r, at: "expect.updates")
        assertDiffers(#"{ "updates": [ { "external_id": "x-1" } ] }"#, r, at: "expect.updates")
        assertDiffers(#"{ "updates": [ {}, {}, {} ] }"#, r, at: "expect.updates")
        // Order.
        assertDiffers(#"{ "updates": [ { "lead_id": "L-2" }, { "external_id": "x-1" } ] }"#, r, at: "expect.updates[0].lead_id")
        // A field's value, a field the update does not have.
        assertDiffers(#"{ "updates": [ { "external_id": "x-1", "stage": "hold" }, {} ] }"#, r, at: "expect.updates[0].stage")
        assertDiffers(#"{ "updates": [ { "external_id": "x-1", "amount": 250 }, {} ] }"#, r, at: "expect.updates[0].amount")
        assertDiffers(#"{ "updates": [ {}, { "external_id": "{{any}}" } ] }"#, r, at: "expect.updates[1].external_id")
        assertMatches(#"{ "updates": [ { "external_id": "{{any}}" }, { "lead_id": "{{any}}" } ] }"#, r)
    }

    /// `lead_id` (the contract extension) is compared like any listed field.
    func testTheLeadIdOfAnUpdate() {
        let both = CallResult(value: .updates([Self.update("x-1", leadID: "L-1", .hold, status: "Callback")]))
        assertMatches(#"{ "updates": [ { "external_id": "x-1", "lead_id": "L-1" } ] }"#, both)
        assertDiffers(#"{ "updates": [ { "external_id": "x-1", "lead_id": "L-9" } ] }"#, both, at: "expect.updates[0].lead_id")
        let noLeadID = CallResult(value: .updates([Self.update("x-1", .hold, status: "Callback")]))
        assertDiffers(#"{ "updates": [ { "external_id": "x-1", "lead_id": "L-1" } ] }"#, noLeadID, at: "expect.updates[0].lead_id")
    }

    func testUpdatesExpectedButAnOutcomeCame() {
        assertDiffers(#"{ "updates": [] }"#, Self.rejected, at: "expect.updates")
        assertDiffers(#"{ "outcome": "accepted" }"#, Self.updates, at: "expect.outcome")
    }

    /// An expected update that is not an object lists no field: it must not match anything.
    func testAnExpectedUpdateThatIsNotAnObjectDoesNotMatch() {
        assertDiffers(#"{ "updates": [ "x-1", {} ] }"#, Self.updates, at: "expect.updates[0]")
        assertDiffers(#"{ "updates": "all" }"#, Self.updates, at: "expect.updates")
    }

    func testAFieldTheResultDoesNotHave() {
        assertDiffers(#"{ "outcome": "rejected", "external_id": "{{any}}" }"#, Self.rejected, at: "expect.external_id")
        assertDiffers(#"{ "outcom": "rejected" }"#, Self.rejected, at: "expect.outcom")
    }
}
