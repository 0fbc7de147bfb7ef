import Foundation
import Host
import IntegrationRuntime
import XCTest

/// The recorded exchanges of a fixture: a request or response of the wrong shape is a load
/// error naming `exchanges[i].request.<field>`, never a part the matcher silently skips
/// (a `"header"` typo, headers given as a list, an unknown transport failure).
final class FixtureExchangeShapeTests: XCTestCase {
    /// The push case with one exchange of `request` and `response`.
    static func exchange(
        request: String = #"{ "url": "https://crm.example/leads" }"#,
        response: String = #"{ "status": 200 }"#
    ) -> String {
        FixtureText.with(["exchanges": "[ { \"request\": \(request), \"response\": \(response) } ]"])
    }

    func testAnExchangeNeedsARequestAndAResponseObject() {
        assertLoadError(FixtureText.with(["exchanges": #"[ "GET /" ]"#]), mentions: ["exchanges[0]"])
        assertLoadError(
            FixtureText.with(["exchanges": #"[ { "request": { "url": "https://x.example" } } ]"#]),
            mentions: ["exchanges[0]", "\"response\""])
        assertLoadError(Self.exchange(request: #""POST https://crm.example""#), mentions: ["exchanges[0]", "\"request\""])
        assertLoadError(Self.exchange(response: "200"), mentions: ["exchanges[0]", "\"response\""])
        assertLoadError(
            FixtureText.with(["exchanges": #"[ { "request": {}, "response": {}, "note": "x" } ]"#]),
            mentions: ["exchanges[0].note: unknown key"])
    }

    func testEveryRequestFieldLoads() throws {
        let f = try FixtureLoaderTests.load(
            Self.exchange(
                request: """
                    { "method": "GET", "url": "https://crm.example/leads?a=1", "query": { "b": 2, "c": true },
                      "headers": { "Accept": "application/json", "X-N": 3 }, "body": "" }
                    """))
        XCTAssertEqual(f.exchanges[0].request["query"]?["b"], .integer(2))
        XCTAssertEqual(f.exchanges[0].request["headers"]?["X-N"], .integer(3))
        XCTAssertEqual(f.exchanges[0].request["body"], .string(""))
    }

    func testEveryResponseFieldLoads() throws {
        let body = try FixtureLoaderTests.load(
            Self.exchange(response: #"{ "status": 503, "headers": { "retry-after": 30 }, "body": "busy" }"#))
        XCTAssertEqual(body.exchanges[0].response["body"], .string("busy"))
        for failure in ["timeout", "connect", "tls", "dns"] {
            let f = try FixtureLoaderTests.load(Self.exchange(response: "{ \"error\": \"\(failure)\" }"))
            XCTAssertEqual(f.exchanges[0].response["error"], .string(failure))
        }
    }

    func testARequestFieldOfTheWrongShape() {
        let bad: [(String, [String])] = [
            (
                #"{ "url": "https://crm.example", "header": { "X-Key": "k" } }"#,
                ["exchanges[0].request.header: unknown key; did you mean headers?"]
            ),
            (#"{ "url": "https://crm.example", "jsn": {} }"#, ["exchanges[0].request.jsn: unknown key; did you mean json?"]),
            (#"{ "method": "POST" }"#, ["exchanges[0].request", "\"url\""]),
            (#"{ "url": 5 }"#, ["exchanges[0].request", "\"url\""]),
            (#"{ "url": "https://crm.example", "method": 1 }"#, ["exchanges[0].request", "\"method\""]),
            (#"{ "url": "https://crm.example", "headers": [ "X-Key: k" ] }"#, ["exchanges[0].request", "\"headers\""]),
            (#"{ "url": "https://crm.example", "headers": { "X-Key": { "v": 1 } } }"#, ["\"headers\"", "X-Key"]),
            (#"{ "url": "https://crm.example", "query": "a=1" }"#, ["exchanges[0].request", "\"query\""]),
            (#"{ "url": "https://crm.example", "query": { "a": [1] } }"#, ["\"query\"", "a"]),
            (#"{ "url": "https://crm.example", "form": [ "a", "b" ] }"#, ["exchanges[0].request", "\"form\""]),
            (#"{ "url": "https://crm.example", "form": { "a": null } }"#, ["\"form\"", "a"]),
            (#"{ "url": "https://crm.example", "body": { "a": 1 } }"#, ["exchanges[0].request", "\"body\""]),
            (#"{ "url": "https://crm.example", "json": {}, "form": {} }"#, ["exchanges[0].request", "json", "form"]),
            (#"{ "url": "https://crm.example", "json": {}, "body": "" }"#, ["exchanges[0].request", "json", "body"]),
        ]
        for (request, mentions) in bad {
            assertLoadError(Self.exchange(request: request), mentions: mentions)
        }
    }

    func testAResponseFieldOfTheWrongShape() {
        let bad: [(String, [String])] = [
            (#"{ "stauts": 200 }"#, ["exchanges[0].response.stauts: unknown key; did you mean status?"]),
            (#"{ "status": "200" }"#, ["exchanges[0].response", "\"status\""]),
            (#"{ "status": 200.5 }"#, ["exchanges[0].response", "\"status\""]),
            (#"{ "status": 99 }"#, ["exchanges[0].response", "\"status\""]),
            (#"{ "status": 600 }"#, ["exchanges[0].response", "\"status\""]),
            (#"{ "status": 200, "headers": [ "a" ] }"#, ["exchanges[0].response", "\"headers\""]),
            (#"{ "status": 200, "headers": { "a": {} } }"#, ["\"headers\"", "a"]),
            (#"{ "status": 200, "body": 5 }"#, ["exchanges[0].response", "\"body\""]),
            (#"{ "status": 200, "json": {}, "body": "" }"#, ["exchanges[0].response", "json", "body"]),
            (#"{ "error": "timout" }"#, ["exchanges[0].response", "\"error\"", "timout"]),
            (#"{ "error": 1 }"#, ["exchanges[0].response", "\"error\""]),
            (#"{ "error": "timeout", "status": 200 }"#, ["exchanges[0].response", "\"error\"", "status"]),
        ]
        for (response, mentions) in bad {
            assertLoadError(Self.exchange(response: response), mentions: mentions)
        }
    }

    /// The second exchange is named by its index.
    func testTheIndexOfTheBadExchangeIsNamed() {
        let good = #"{ "request": { "url": "https://crm.example/a" }, "response": { "status": 200 } }"#
        let bad = #"{ "request": { "url": "https://crm.example/b" }, "response": { "status": "ok" } }"#
        assertLoadError(FixtureText.with(["exchanges": "[ \(good), \(bad) ]"]), mentions: ["exchanges[1].response", "\"status\""])
    }

    func testExpectedUpdatesAreAListOfObjects() {
        assertLoadError(FixtureText.with(["expect": #"{ "updates": "none" }"#]), mentions: ["expect.updates", "list"])
        assertLoadError(FixtureText.with(["expect": #"{ "updates": [ "x-1" ] }"#]), mentions: ["expect.updates[0]", "object"])
    }
}
