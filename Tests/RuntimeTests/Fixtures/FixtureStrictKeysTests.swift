import Foundation
import Host
import IntegrationRuntime
import XCTest

/// Issue 13, point 2: a fixture key the format does not know, at any level, is a load error
/// naming its path (and the known key it is closest to), never a case that checks less than
/// it says; `"$schema"` at the top is allowed for editors.
final class FixtureStrictKeysTests: XCTestCase {
    func testAnExpectTypoIsALoadErrorWithASuggestion() {
        assertLoadError(
            FixtureText.with(["expect": #"{ "outcome": "accepted", "externalid": "L123" }"#]),
            mentions: ["expect.externalid: unknown key; did you mean external_id?"])
    }

    func testAResponseTypoIsALoadErrorNotAnHTTP200() {
        let exchanges = #"[ { "request": { "url": "https://crm.example/leads" }, "response": { "staus": 400 } } ]"#
        assertLoadError(
            FixtureText.with(["exchanges": exchanges]), mentions: ["exchanges[0].response.staus: unknown key; did you mean status?"])
    }

    func testARequestAndAnExchangeTypoAreLoadErrors() {
        let request = #"[ { "request": { "url": "https://crm.example/leads", "heders": {} }, "response": { "status": 200 } } ]"#
        assertLoadError(
            FixtureText.with(["exchanges": request]), mentions: ["exchanges[0].request.heders: unknown key; did you mean headers?"])
        let exchange = #"[ { "request": { "url": "https://crm.example/leads" }, "respons": { "status": 200 } } ]"#
        assertLoadError(FixtureText.with(["exchanges": exchange]), mentions: ["exchanges[0]", "respons"])
    }

    func testATopLevelTypoSuggestsTheKnownKey() {
        assertLoadError(FixtureText.with(["exchange": "[]"]), mentions: ["exchange: unknown key; did you mean exchanges?"])
    }

    func testALeadFieldTheContractDoesNotKnowIsALoadError() {
        assertLoadError(
            FixtureText.with(["lead": #"{ "id": "L-1", "firstname": "Anna" }"#]),
            mentions: ["lead.firstname: unknown key; did you mean first_name?"])
        // Anything else the affiliate sent belongs under `extra`, which holds any key.
        XCTAssertNoThrow(try FixtureLoaderTests.load(FixtureText.with(["lead": #"{ "id": "L-1", "extra": { "firstname": "Anna" } }"#])))
    }

    func testOfferLeadsAndInboundKeysAreChecked() {
        assertLoadError(
            FixtureText.with(["offer": #"{ "id": "7", "nmae": "x" }"#]), mentions: ["offer.nmae: unknown key; did you mean name?"])
        let status: [String: String] = [
            "description": #""d""#, "action": #""status""#, "params": "{}", "check": #""processing""#,
            "leads": #"[ { "id": "L-1", "external_id": "9", "created": "2026-01-01T00:00:00Z" } ]"#,
            "exchanges": "[]", "expect": #"{ "updates": [] }"#,
        ]
        assertLoadError(FixtureText.object(status), mentions: ["leads[0].created: unknown key"])
        let postback: [String: String] = [
            "description": #""d""#, "action": #""postback""#, "params": "{}",
            "inbound": #"{ "method": "GET", "url": "/pb", "qurey": {} }"#, "expect": #"{ "updates": [] }"#,
        ]
        assertLoadError(FixtureText.object(postback), mentions: ["inbound.qurey: unknown key; did you mean query?"])
    }

    func testAnUpdateFieldCloseToAKnownOneIsALoadError() {
        let status: [String: String] = [
            "description": #""d""#, "action": #""status""#, "params": "{}", "check": #""range""#,
            "from": #""2026-01-01T00:00:00Z""#, "to": #""2026-01-02T00:00:00Z""#, "exchanges": "[]",
            "expect": #"{ "updates": [ { "external_id": "9", "stgae": "approve" } ] }"#,
        ]
        assertLoadError(FixtureText.object(status), mentions: ["expect.updates[0].stgae: unknown key; did you mean stage?"])
    }

    func testOutcomeReasonAndStageWordsAreChecked() {
        assertLoadError(
            FixtureText.with(["expect": #"{ "outcome": "accept", "external_id": "L123" }"#]),
            mentions: ["expect.outcome", "\"accept\"", "did you mean accepted?"])
        assertLoadError(
            FixtureText.with(["expect": #"{ "outcome": "rejected", "reason": "duplicated" }"#]),
            mentions: ["expect.reason", "did you mean duplicate?"])
    }

    func testASchemaKeyIsAllowedAndIgnored() throws {
        let f = try FixtureLoaderTests.load(FixtureText.with(["$schema": #""../../../docs/fixture.schema.json""#]))
        XCTAssertEqual(f.action, .push)
    }
}
