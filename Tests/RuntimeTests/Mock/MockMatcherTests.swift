import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

/// How `leadrelay mock` picks the exchange that answers a request (issue 13, point 6).
final class MockMatcherTests: XCTestCase {
    var fixtures: String!

    override func setUpWithError() throws {
        fixtures = NSTemporaryDirectory() + "mock-matcher-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: fixtures + "/demo", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(atPath: fixtures) }

    /// A push case whose one exchange expects `json` at `url` and answers `{"id": id}`.
    func write(_ name: String, url: String, json: String, id: Int, base: String = "https://crm.example/api/v1") throws {
        let text = """
            { "description": "\(name)", "action": "push", "params": { "base_url": "\(base)" }, "lead": { "id": "L-1" },
              "exchanges": [ { "request": { "method": "POST", "url": "\(url)", "json": \(json) },
                               "response": { "status": 200, "json": { "id": \(id) } } } ],
              "expect": { "outcome": "accepted" } }
            """
        try text.write(toFile: fixtures + "/demo/\(name).json", atomically: true, encoding: .utf8)
    }

    func answer(_ body: String, path: String = "/leads", query: String = "", only: String? = nil) throws -> MockMatcher.Answer {
        let exchanges = try MockExchanges.load(fixtures: fixtures, integration: "demo", only: only)
        return MockMatcher(exchanges).answer(MockMatcher.Request(method: "post", path: path, query: query, body: Array(body.utf8)))
    }

    func testTheMostSpecificMatchWinsOverFileNameOrder() throws {
        try write("a-any-email", url: "https://crm.example/api/v1/leads", json: #"{ "email": "{{any}}", "name": "Anna" }"#, id: 1)
        try write(
            "b-exact-email", url: "https://crm.example/api/v1/leads", json: #"{ "email": "anna@example.com", "name": "Anna" }"#, id: 2)
        let exact = try answer(#"{"name":"Anna","email":"anna@example.com"}"#)
        XCTAssertEqual(exact.entry?.caseName, "b-exact-email")
        XCTAssertEqual(try JSONValue.parse(exact.body)["id"]?.int64Value, 2)
        let other = try answer(#"{ "email": "bob@example.com",  "name": "Anna" }"#)
        XCTAssertEqual(other.entry?.caseName, "a-any-email")
    }

    func testTiesGoToTheFirstFileNameAndCasePinsOne() throws {
        try write("b-second", url: "https://crm.example/api/v1/leads", json: #"{ "name": "Anna" }"#, id: 2)
        try write("a-first", url: "https://crm.example/api/v1/leads", json: #"{ "name": "Anna" }"#, id: 1)
        XCTAssertEqual(try answer(#"{"name":"Anna"}"#).entry?.caseName, "a-first")
        XCTAssertEqual(try answer(#"{"name":"Anna"}"#, only: "b-second").entry?.caseName, "b-second")
    }

    func testExchangesAreServedBelowTheFixturesBaseURLAndQueryIsCompared() throws {
        try write("search", url: "https://crm.example/api/v1/leads?page=2", json: #"{ "name": "Anna" }"#, id: 3)
        XCTAssertEqual(try answer(#"{"name":"Anna"}"#, query: "page=2").status, 200)
        let wrongPage = try answer(#"{"name":"Anna"}"#, query: "page=3")
        XCTAssertEqual(wrongPage.status, 404)
        let differences = try JSONValue.parse(wrongPage.body)["nearest"]?.arrayValue?.first?["differences"]?.arrayValue
        XCTAssertEqual(differences?.compactMap(\.stringValue), [#"request.query.page: expected "2", got "3""#])
        // The full path of the network is not where the mock serves it.
        XCTAssertEqual(try answer(#"{"name":"Anna"}"#, path: "/api/v1/leads", query: "page=2").status, 404)
    }

    func testAnUnknownCaseNamesTheCases() throws {
        try write("push-ok", url: "https://crm.example/api/v1/leads", json: "{}", id: 1)
        XCTAssertThrowsError(try answer("{}", only: "push-okk")) { error in
            XCTAssertTrue("\(error)".contains("no such case (cases: push-ok)"), "\(error)")
        }
    }
}
