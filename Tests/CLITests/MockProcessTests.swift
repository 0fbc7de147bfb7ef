import Foundation
import LeadJSON
import XCTest

/// `leadrelay mock` (issue 13, point 6): a bundled integration run live (`leadrelay run`)
/// against the recorded exchanges of its own fixtures, served on loopback.
final class MockProcessTests: XCTestCase {
    var dir: TemporaryDirectory!
    let root = LeadRelayProcess.root

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    /// Writes the lead of a bundled fixture, and its params with `base_url` pointed at `url`.
    func writeInputs(fixture: String, baseURL url: String, lead edit: (inout [String: JSONValue]) -> Void = { _ in }) throws {
        let text = try String(contentsOfFile: root + "/Tests/ScriptFixtures/" + fixture, encoding: .utf8)
        let case_ = try XCTUnwrap(try JSONValue.parse(Array(text.utf8)).objectValue)
        var lead = try XCTUnwrap(case_["lead"]?.objectValue)
        edit(&lead)
        var params = try XCTUnwrap(case_["params"]?.objectValue)
        params["base_url"] = .string(url)
        try dir.write("lead.json", JSONValue.object(lead).encoded())
        try dir.write("params.json", JSONValue.object(params).encoded())
    }

    func mock(_ integration: String, _ more: [String] = []) throws -> MockProcess {
        try MockProcess(
            in: dir.path,
            arguments: [integration, "--integrations", root + "/integrations", "--fixtures", root + "/Tests/ScriptFixtures"] + more)
    }

    func run(_ integration: String, _ more: [String] = []) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(
            ["run", integration, "--lead", "lead.json", "--params", "params.json", "--integrations", root + "/integrations"] + more,
            in: dir.path)
    }

    func testABundledIntegrationRunsLiveAgainstItsFixturesAndGetsTheFixturesOutcome() throws {
        let server = try mock("irev")
        defer { server.stop() }
        // The fixture's own params file, its base_url replaced on the command line.
        try writeInputs(fixture: "irev/push-accepted.json", baseURL: "https://acme.irev.com")
        let done = try run("irev", ["--param", "base_url=\(server.url)", "--expect", "accepted"])
        XCTAssertEqual(done.status, 0, done.description)
        let report = try XCTUnwrap(try JSONValue.parse(Array(done.stdout.utf8)).objectValue, done.stdout)
        // What irev/push-accepted.json expects.
        XCTAssertEqual(report["external_id"]?.stringValue, "0f1b8398-e144-4fa6-93e0-1d7dce7b74db")
        XCTAssertEqual(
            report["redirect_url"]?.stringValue,
            "https://autologin-domain.com/sdk/v1/leads-workflow/go/11/0f1b8398-e144-4fa6-93e0-1d7dce7b74db")
        // Several push fixtures record this very request: the tie goes to the first file name.
        XCTAssertTrue(server.stdout.contains("POST /api/affiliates/v2/leads -> 200 (push-accepted exchanges[0])"), server.stdout)
    }

    func testCasePinsOneFixture() throws {
        let server = try mock("irev", ["--case", "push-duplicate-400"])
        defer { server.stop() }
        try writeInputs(fixture: "irev/push-duplicate-400.json", baseURL: server.url)
        let done = try run("irev", ["--expect", "rejected:duplicate"])
        XCTAssertEqual(done.status, 0, done.description)
        XCTAssertTrue(server.stdout.contains("-> 400 (push-duplicate-400 exchanges[0])"), server.stdout)
    }

    func testNoMatchIs404ListingTheNearestExchangesAndWhatDiffered() throws {
        let server = try mock("irev", ["--case", "push-accepted"])
        defer { server.stop() }
        try writeInputs(fixture: "irev/push-accepted.json", baseURL: server.url) { $0["email"] = .string("bob@example.com") }
        let done = try run("irev")
        XCTAssertEqual(done.status, 0, done.description)
        let report = try XCTUnwrap(try JSONValue.parse(Array(done.stdout.utf8)).objectValue, done.stdout)
        let response = try XCTUnwrap(report["exchanges"]?.arrayValue?.first?["response"], done.stdout)
        XCTAssertEqual(response["status"]?.int64Value, 404)
        let nearest = try XCTUnwrap(response["json"]?["nearest"]?.arrayValue?.first, done.stdout)
        XCTAssertEqual(nearest["case"]?.stringValue, "push-accepted")
        XCTAssertEqual(
            nearest["differences"]?.arrayValue?.compactMap(\.stringValue),
            [#"request.json$.email: expected "anna@example.com", got "bob@example.com""#])
        XCTAssertTrue(server.stdout.contains("POST /api/affiliates/v2/leads -> 404 (no recorded exchange matches)"), server.stdout)
    }

    func testAnUnknownCaseIsALoadErrorNamingTheCases() throws {
        let done = try LeadRelayProcess.run(
            [
                "mock", "irev", "--port", "0", "--case", "push-acepted", "--integrations", root + "/integrations", "--fixtures",
                root + "/Tests/ScriptFixtures",
            ], in: dir.path)
        XCTAssertEqual(done.status, 2, done.description)
        XCTAssertTrue(done.stderr.contains("push-acepted.json: no such case"), done.stderr)
        XCTAssertTrue(done.stderr.contains("push-accepted"), done.stderr)
    }
}
