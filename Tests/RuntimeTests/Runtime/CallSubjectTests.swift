import IntegrationRuntime
import LeadJSON
import XCTest

/// `CallInput`'s loose initializer maps each combination of optionals to the one subject it
/// describes, and the read-only accessors give the subject's parts back.
final class CallSubjectTests: XCTestCase {
    let lead: JSONValue = .object(["id": .string("L-1")])
    let item: JSONValue = .object(["id": .string("L-1"), "external_id": .string("X-1"), "created_at": .string("2026-01-01T00:00:00Z")])
    let inbound: JSONValue = .object(["query": .object(["status": .string("sale")])])

    func testALeadMakesALeadSubject() {
        let input = CallInput(action: .push, lead: lead, now: 0)
        XCTAssertEqual(input.subject, .lead(lead))
        XCTAssertEqual(input.lead, lead)
        XCTAssertNil(input.check)
        XCTAssertNil(input.leads)
        XCTAssertNil(input.inbound)
    }

    func testEachStatusCheckMakesItsQuery() {
        let processing = CallInput(action: .status, now: 0, check: .processing, leads: [item])
        XCTAssertEqual(processing.subject, .status(.processing(leads: [item])))
        XCTAssertEqual(processing.check, .processing)
        XCTAssertEqual(processing.leads, [item])
        XCTAssertNil(processing.from)

        let approved = CallInput(action: .status, now: 0, check: .approved, leads: [item, item])
        XCTAssertEqual(approved.subject, .status(.approved(leads: [item, item])))
        XCTAssertEqual(approved.check, .approved)
        XCTAssertEqual(approved.leads, [item, item])

        let range = CallInput(action: .status, now: 0, check: .range, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z")
        XCTAssertEqual(range.subject, .status(.range(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z")))
        XCTAssertEqual(range.check, .range)
        XCTAssertEqual(range.from, "2026-01-01T00:00:00Z")
        XCTAssertEqual(range.to, "2026-01-02T00:00:00Z")
        XCTAssertNil(range.leads)
        XCTAssertNil(range.lead)
    }

    func testACheckWithoutItsScopeGetsAnEmptyOne() {
        XCTAssertEqual(CallInput(action: .status, now: 0, check: .processing).subject, .status(.processing(leads: [])))
        XCTAssertEqual(CallInput(action: .status, now: 0, check: .range).subject, .status(.range(from: "", to: "")))
    }

    func testAnInboundRequestMakesAPostbackSubjectAndWinsOverTheRest() {
        let input = CallInput(action: .postback, lead: lead, now: 0, check: .processing, leads: [item], inbound: inbound)
        XCTAssertEqual(input.subject, .postback(inbound: inbound))
        XCTAssertEqual(input.inbound, inbound)
        XCTAssertNil(input.lead)
        XCTAssertNil(input.check)
    }

    func testACheckWinsOverALead() {
        let input = CallInput(action: .status, lead: lead, now: 0, check: .range, from: "a", to: "b")
        XCTAssertEqual(input.subject, .status(.range(from: "a", to: "b")))
        XCTAssertNil(input.lead)
    }

    func testNothingMakesNoSubject() {
        let input = CallInput(action: .push, now: 0)
        XCTAssertEqual(input.subject, .none)
        XCTAssertNil(input.lead)
        XCTAssertNil(input.check)
        XCTAssertNil(input.leads)
        XCTAssertNil(input.from)
        XCTAssertNil(input.to)
        XCTAssertNil(input.inbound)
    }

    func testTheDesignatedInitializerKeepsTheSubject() {
        let input = CallInput(action: .status, subject: .status(.approved(leads: [item])), params: ["k": .string("v")], attempt: 2, now: 7)
        XCTAssertEqual(input.subject, .status(.approved(leads: [item])))
        XCTAssertEqual(input.check, .approved)
        XCTAssertEqual(input.leads, [item])
        XCTAssertEqual(input.params, ["k": .string("v")])
        XCTAssertEqual(input.attempt, 2)
        XCTAssertEqual(input.now, 7)
    }
}
