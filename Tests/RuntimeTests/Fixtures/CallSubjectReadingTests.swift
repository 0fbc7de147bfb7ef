import IntegrationRuntime
import LeadJSON
import XCTest

/// `CallSubject.read`, the one reader of a call's subject for fixtures and `leadrelay run`.
final class CallSubjectReadingTests: XCTestCase {
    let lead: JSONValue = .object(["id": .string("L-1")])
    let stored: JSONValue = .object(["id": .string("L-1"), "external_id": .string("X-1"), "created_at": .string("2026-01-01T00:00:00Z")])

    func read(_ fields: [String: JSONValue], _ action: Action) throws(ScriptLoadError) -> CallSubject {
        try CallSubject.read(fields, for: action, file: "case.json")
    }

    func assertError(
        _ fields: [String: JSONValue], _ action: Action, mentions words: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let subject = try read(fields, action)
            XCTFail("read \(subject) from a bad shape", file: file, line: line)
        } catch {
            XCTAssertEqual(error.file, "case.json", file: file, line: line)
            for word in words { XCTAssertTrue(error.message.contains(word), "\(error.message) lacks \(word)", file: file, line: line) }
        }
    }

    func testEachActionReadsItsOwnKey() throws {
        for action in [Action.push, .register, .update, .approved] {
            XCTAssertEqual(try read(["lead": lead, "inbound": .object([:])], action), .lead(lead))
        }
        XCTAssertEqual(
            try read(["inbound": .object(["query": .object([:])]), "lead": lead], .postback),
            .postback(inbound: .object(["query": .object([:])])))
        XCTAssertEqual(
            try read(["check": .string("processing"), "leads": .array([stored])], .status), .status(.processing(leads: [stored])))
        XCTAssertEqual(try read(["check": .string("approved"), "leads": .array([])], .status), .status(.approved(leads: [])))
        XCTAssertEqual(
            try read(["check": .string("range"), "from": .string("2026-01-01T00:00:00Z"), "to": .string("2026-01-02T00:00:00Z")], .status),
            .status(.range(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z")))
    }

    func testALeadMustBeAnObject() {
        assertError([:], .push, mentions: ["missing \"lead\"", "push"])
        assertError(["lead": .string("L-1")], .register, mentions: ["\"lead\" must be a JSON object", "register", "\"L-1\""])
        assertError(["lead": .array([])], .push, mentions: ["\"lead\""])
    }

    func testAStatusCallNeedsAKnownCheckAndItsScope() {
        assertError(["leads": .array([])], .status, mentions: ["\"check\""])
        assertError(["check": .string("pending"), "leads": .array([])], .status, mentions: ["processing, approved or range"])
        assertError(["check": .string("processing")], .status, mentions: ["\"leads\""])
        assertError(["check": .string("approved"), "leads": .object([:])], .status, mentions: ["\"leads\""])
        assertError(["check": .string("processing"), "leads": .array([stored, .string("x")])], .status, mentions: ["leads[1]", "\"x\""])
        assertError(["check": .string("range"), "from": .string("2026-01-01T00:00:00Z")], .status, mentions: ["\"from\" and \"to\""])
        assertError(
            ["check": .string("range"), "from": .string("2026-01-01T00:00:00Z"), "to": .string("tomorrow")], .status,
            mentions: ["\"to\"", "ISO 8601", "\"tomorrow\""])
        assertError(
            ["check": .string("range"), "from": .integer(1), "to": .string("2026-01-01T00:00:00Z")], .status, mentions: ["\"from\""])
    }

    func testAPostbackNeedsItsInboundRequestAsAnObject() {
        assertError([:], .postback, mentions: ["\"inbound\""])
        assertError(["inbound": .string("GET /pb?status=1")], .postback, mentions: ["\"inbound\"", "JSON object"])
    }
}
