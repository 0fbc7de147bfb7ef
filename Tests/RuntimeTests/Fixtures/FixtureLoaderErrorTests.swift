import Foundation
import Host
import IntegrationRuntime
import XCTest

/// Every bad shape of a fixture is a load error that names the file and the field, never a
/// case that loads and then checks less than it says.
final class FixtureLoaderErrorTests: XCTestCase {
    func testTheValidBaseLoads() throws {
        XCTAssertEqual(try FixtureLoaderTests.load(FixtureText.object(FixtureText.push)).action, .push)
    }

    func testMalformedJSONNamesTheLine() throws {
        let json = "{\n  \"description\": \"d\",\n  \"action\": push\n}"
        XCTAssertThrowsError(try FixtureLoaderTests.load(json)) { error in
            guard let error = error as? ScriptLoadError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.file, FixtureLoaderTests.file)
            XCTAssertEqual(error.line, 3)
            XCTAssertTrue(error.message.contains("not valid JSON"), error.message)
        }
        assertLoadError("", mentions: ["not valid JSON"])
        assertLoadError(#"{ "description": "d", }"#, mentions: ["not valid JSON"])
    }

    func testTheRootMustBeAnObject() {
        for root in ["[]", "\"push\"", "42", "null"] {
            assertLoadError(root, mentions: ["must be a JSON object"])
        }
    }

    func testAnUnknownKeyIsRefusedByName() {
        assertLoadError(FixtureText.with(["expected": #"{ "outcome": "accepted" }"#]), mentions: ["expected: unknown key"])
        assertLoadError(FixtureText.with(["Lead": "{}"]), mentions: ["Lead: unknown key; did you mean lead?"])
    }

    func testRequiredFieldsMissing() {
        assertLoadError(FixtureText.with(["description": nil]), mentions: ["\"description\""])
        assertLoadError(FixtureText.with(["action": nil]), mentions: ["\"action\""])
        assertLoadError(FixtureText.with(["lead": nil]), mentions: ["\"lead\"", "push"])
        assertLoadError(FixtureText.with(["expect": nil]), mentions: ["\"expect\""])
    }

    /// The format's table says `params` is required.
    func testParamsAreRequired() {
        assertLoadError(FixtureText.with(["params": nil]), mentions: ["\"params\""])
    }

    func testWrongTypesOfTopLevelFields() {
        assertLoadError(FixtureText.with(["description": "42"]), mentions: ["\"description\""])
        assertLoadError(FixtureText.with(["action": #"["push"]"#]), mentions: ["\"action\""])
        assertLoadError(FixtureText.with(["params": #"[1]"#]), mentions: ["\"params\"", "object"])
        assertLoadError(FixtureText.with(["params": #""a=b""#]), mentions: ["\"params\""])
        assertLoadError(FixtureText.with(["lead": #""L-1""#]), mentions: ["\"lead\"", "object"])
        assertLoadError(FixtureText.with(["exchanges": "{}"]), mentions: ["\"exchanges\"", "list"])
        assertLoadError(FixtureText.with(["expect": #""accepted""#]), mentions: ["\"expect\""])
        assertLoadError(FixtureText.with(["expect": "{}"]), mentions: ["\"expect\""])
        assertLoadError(FixtureText.with(["now": "1767225600"]), mentions: ["\"now\"", "ISO 8601"])
        assertLoadError(FixtureText.with(["now": #""tomorrow""#]), mentions: ["\"now\"", "ISO 8601"])
        assertLoadError(FixtureText.with(["now": #""2026-13-01T00:00:00Z""#]), mentions: ["\"now\""])
        assertLoadError(FixtureText.with(["attempt": "0"]), mentions: ["\"attempt\""])
        assertLoadError(FixtureText.with(["attempt": "1.5"]), mentions: ["\"attempt\""])
        assertLoadError(FixtureText.with(["attempt": #""2""#]), mentions: ["\"attempt\""])
        assertLoadError(FixtureText.with(["offer": #""1""#]), mentions: ["\"offer\""])
        assertLoadError(FixtureText.with(["offer": #"{ "name": "x" }"#]), mentions: ["\"offer\""])
        assertLoadError(FixtureText.with(["offer": #"{ "id": true }"#]), mentions: ["\"offer\""])
    }

    func testAnOfferNameMustBeAString() {
        assertLoadError(FixtureText.with(["offer": #"{ "id": "1", "name": 5 }"#]), mentions: ["\"offer\"", "name"])
    }

    func testBadActionAndCheckValues() {
        assertLoadError(FixtureText.with(["action": #""send""#]), mentions: ["unknown action \"send\"", "push", "postback"])
        assertLoadError(FixtureText.with(["action": #""PUSH""#]), mentions: ["\"PUSH\""])
        let status: [String: String?] = ["action": #""status""#, "lead": nil, "leads": "[]", "expect": #"{ "updates": [] }"#]
        assertLoadError(FixtureText.with(status), mentions: ["\"check\"", "processing", "range"])
        assertLoadError(FixtureText.with(status.merging(["check": #""pending""#]) { $1 }), mentions: ["\"check\"", "processing"])
        assertLoadError(FixtureText.with(status.merging(["check": "1"]) { $1 }), mentions: ["\"check\""])
    }

    func testAStatusCheckNeedsItsLeadsOrItsRange() {
        let base: [String: String?] = ["action": #""status""#, "lead": nil, "exchanges": nil, "expect": #"{ "updates": [] }"#]
        assertLoadError(FixtureText.with(base.merging(["check": #""processing""#]) { $1 }), mentions: ["\"leads\""])
        assertLoadError(FixtureText.with(base.merging(["check": #""approved""#, "leads": "{}"]) { $1 }), mentions: ["\"leads\""])
        assertLoadError(
            FixtureText.with(base.merging(["check": #""range""#, "from": #""2025-12-31T00:00:00Z""#]) { $1 }),
            mentions: ["\"from\"", "\"to\""])
        assertLoadError(
            FixtureText.with(base.merging(["check": #""range""#, "from": "1", "to": #""2025-12-31T00:00:00Z""#]) { $1 }),
            mentions: ["\"from\""])
    }

    func testEachLeadOfACheckIsAnObject() {
        let base: [String: String?] = [
            "action": #""status""#, "check": #""processing""#, "lead": nil, "exchanges": nil,
            "expect": #"{ "updates": [] }"#,
        ]
        assertLoadError(FixtureText.with(base.merging(["leads": #"["x-1"]"#]) { $1 }), mentions: ["leads[0]", "object"])
    }

    func testARangeIsGivenInISO8601() {
        let base: [String: String?] = [
            "action": #""status""#, "check": #""range""#, "lead": nil, "exchanges": nil,
            "expect": #"{ "updates": [] }"#,
        ]
        assertLoadError(
            FixtureText.with(base.merging(["from": #""yesterday""#, "to": #""2025-12-31T23:59:59Z""#]) { $1 }),
            mentions: ["\"from\"", "ISO 8601"])
        assertLoadError(
            FixtureText.with(base.merging(["from": #""2025-12-31T00:00:00Z""#, "to": #""31.12.2025""#]) { $1 }),
            mentions: ["\"to\"", "ISO 8601"])
    }

    func testAPostbackNeedsItsInboundRequest() {
        let base: [String: String?] = ["action": #""postback""#, "lead": nil, "exchanges": nil, "expect": #"{ "updates": [] }"#]
        assertLoadError(FixtureText.with(base), mentions: ["\"inbound\""])
        assertLoadError(FixtureText.with(base.merging(["inbound": #""GET /pb""#]) { $1 }), mentions: ["\"inbound\""])
    }

    /// A field the case's action does not read would be ignored: a fixture saying more than
    /// it checks. It is refused by name.
    func testAFieldTheActionDoesNotReadIsRefused() {
        assertLoadError(FixtureText.with(["leads": "[]"]), mentions: ["\"leads\"", "push"])
        assertLoadError(FixtureText.with(["check": #""range""#]), mentions: ["\"check\"", "push"])
        assertLoadError(FixtureText.with(["inbound": "{}"]), mentions: ["\"inbound\"", "push"])
        let range: [String: String?] = [
            "action": #""status""#, "check": #""range""#, "from": #""2025-12-31T00:00:00Z""#,
            "to": #""2025-12-31T23:59:59Z""#, "expect": #"{ "updates": [] }"#,
        ]
        assertLoadError(FixtureText.with(range), mentions: ["\"lead\"", "status"])
        assertLoadError(FixtureText.with(range.merging(["lead": nil, "leads": "[]"]) { $1 }), mentions: ["\"leads\"", "range"])
        let postback: [String: String?] = ["action": #""postback""#, "lead": nil, "inbound": "{}", "expect": #"{ "updates": [] }"#]
        assertLoadError(FixtureText.with(postback), mentions: ["\"exchanges\"", "postback"])
    }

    /// `message_contains` of "" would match any message, and no message at all.
    func testMessageContainsIsANonEmptyString() {
        assertLoadError(
            FixtureText.with(["expect": #"{ "outcome": "rejected", "message_contains": "" }"#]),
            mentions: ["expect.message_contains"])
        assertLoadError(
            FixtureText.with(["expect": #"{ "outcome": "rejected", "message_contains": 404 }"#]),
            mentions: ["expect.message_contains", "string"])
    }
}
