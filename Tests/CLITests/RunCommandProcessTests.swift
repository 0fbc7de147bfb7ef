import Foundation
import LoopbackTesting
import XCTest

/// `leadrelay run` as a subprocess: 0 when the call ran (whatever its outcome), 2 with a
/// message naming the file when an input cannot be used, 64 for a usage error; its output
/// is one JSON object with the secrets masked. Only loopback is reached.
final class RunCommandProcessTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try dir.write("integrations/demo.lua", CheckCommandProcessTests.script)
        try dir.write("lead.json", #"{ "id": "L-1", "email": "a@example.com" }"#)
        try dir.write("params.json", #"{ "base_url": "http://127.0.0.1:9", "token": "tok-0123456789" }"#)
    }

    override func tearDown() { dir = nil }

    func run(_ extra: [String], lead: String = "lead.json", params: String = "params.json") throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(
            ["run", "demo", "--lead", lead, "--params", params, "--integrations", "integrations"] + extra,
            in: dir.path)
    }

    /// Asserts exit 2 and a one-line message on stderr that contains every one of `mentions`.
    func assertInputError(_ finished: LeadRelayProcess.Finished, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(finished.status, 2, finished.description, file: file, line: line)
        XCTAssertTrue(finished.stderr.hasPrefix("leadrelay run: "), finished.description, file: file, line: line)
        for m in mentions {
            XCTAssertTrue(finished.stderr.contains(m), "stderr does not mention \(m): \(finished.description)", file: file, line: line)
        }
        XCTAssertTrue(finished.stdout.isEmpty, finished.description, file: file, line: line)
    }

    func testADryRunPrintsTheRequestMasked() throws {
        let finished = try run(["--dry-run"])
        XCTAssertEqual(finished.status, 0, finished.description)
        let output = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(finished.stdout.utf8)) as? [String: Any], finished.description)
        XCTAssertEqual(output["integration"] as? String, "demo")
        XCTAssertEqual(output["action"] as? String, "push")
        XCTAssertEqual(output["dry_run"] as? Bool, true)
        let request = try XCTUnwrap(output["request"] as? [String: Any])
        XCTAssertEqual(request["method"] as? String, "POST")
        XCTAssertEqual(request["url"] as? String, "http://127.0.0.1:9/leads")
        XCTAssertEqual((request["json"] as? [String: Any])?["email"] as? String, "a@example.com")
        XCTAssertFalse(finished.stdout.contains("tok-0123456789"), finished.description)
        XCTAssertNil(output["exchanges"])
    }

    func testALiveRunAgainstLoopbackPrintsTheOutcome() throws {
        let server = LoopbackHTTPServer { _ in
            LoopbackResponse(status: 200, headers: [("Content-Type", "application/json")], text: #"{"id":99}"#)
        }
        try server.start()
        defer { server.stop() }
        try dir.write("params.json", #"{ "base_url": "\#(server.url(""))", "token": "tok-0123456789" }"#)
        let finished = try run([])
        XCTAssertEqual(finished.status, 0, finished.description)
        let output = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(finished.stdout.utf8)) as? [String: Any], finished.description)
        XCTAssertEqual(output["outcome"] as? String, "accepted", finished.description)
        XCTAssertEqual(output["external_id"] as? String, "99")
        XCTAssertEqual((output["exchanges"] as? [Any])?.count, 1)
        XCTAssertFalse(finished.stdout.contains("tok-0123456789"), finished.description)
        XCTAssertEqual(server.requestsServed, 1)
    }

    /// An outcome other than accepted is still a call that ran: exit 0.
    func testARejectedOutcomeIsZero() throws {
        let server = LoopbackHTTPServer { _ in LoopbackResponse(status: 409, text: "{}") }
        try server.start()
        defer { server.stop() }
        try dir.write("params.json", #"{ "base_url": "\#(server.url(""))", "token": "tok-0123456789" }"#)
        let finished = try run([])
        XCTAssertEqual(finished.status, 0, finished.description)
        XCTAssertTrue(
            finished.stdout.contains(#""outcome": "rejected""#) || finished.stdout.contains(#""outcome":"rejected""#),
            finished.description)
    }

    func testAMissingLeadFile() throws {
        assertInputError(try run(["--dry-run"], lead: "nosuch.json"), mentions: ["nosuch.json", "cannot read"])
    }

    func testALeadFileThatIsNotJSON() throws {
        try dir.write("lead.json", "{\n  \"id\": \"L-1\",\n  email: 1\n}")
        assertInputError(try run(["--dry-run"]), mentions: ["lead.json:3", "not valid JSON"])
    }

    func testParamsThatAreNotAnObject() throws {
        try dir.write("params.json", #"["base_url"]"#)
        assertInputError(try run(["--dry-run"]), mentions: ["params.json", "JSON object"])
    }

    /// A lead must be a JSON object, as a fixture's is.
    func testALeadThatIsNotAnObject() throws {
        try dir.write("lead.json", #"["L-1"]"#)
        assertInputError(try run(["--dry-run"]), mentions: ["lead.json", "object"])
    }

    /// A status run needs its leads (or its range), as a fixture does.
    func testAStatusRunWithoutItsLeads() throws {
        try dir.write("lead.json", "{}")
        assertInputError(try run(["--action", "status", "--check", "processing", "--dry-run"]), mentions: ["lead.json", "\"leads\""])
        assertInputError(try run(["--action", "status", "--check", "range", "--dry-run"]), mentions: ["lead.json", "\"from\""])
    }

    func testARangeThatIsNotISO8601() throws {
        try dir.write("lead.json", #"{ "from": "yesterday", "to": "2025-12-31T23:59:59Z" }"#)
        assertInputError(try run(["--action", "status", "--check", "range", "--dry-run"]), mentions: ["lead.json", "ISO 8601"])
    }

    func testAPostbackThatIsNotAnObject() throws {
        try dir.write("lead.json", #""GET /postback?status=approve""#)
        assertInputError(try run(["--action", "postback", "--dry-run"]), mentions: ["lead.json", "inbound request"])
    }

    func testAStatusRunWithoutACheck() throws {
        assertInputError(try run(["--action", "status", "--dry-run"]), mentions: ["--check"])
    }

    func testAnUnknownAction() throws {
        assertInputError(try run(["--action", "send", "--dry-run"]), mentions: ["--action", "\"send\""])
    }

    func testAnUnknownIntegration() throws {
        let finished = try LeadRelayProcess.run(
            [
                "run", "nosuch", "--lead", "lead.json", "--params", "params.json",
                "--integrations", "integrations", "--dry-run",
            ], in: dir.path)
        assertInputError(finished, mentions: ["nosuch"])
    }

    func testUsageErrorsAreSixtyFour() throws {
        let missing = try LeadRelayProcess.run(["run", "demo", "--params", "params.json"], in: dir.path)
        XCTAssertEqual(missing.status, 64, missing.description)
        XCTAssertTrue(missing.stderr.contains("--lead"), missing.description)
        let engine = try run(["--http-engine", "fast"])
        XCTAssertEqual(engine.status, 64, engine.description)
        XCTAssertTrue(engine.stderr.contains("--http-engine"), engine.description)
        let egress = try run(["--egress", "anywhere"])
        XCTAssertEqual(egress.status, 64, egress.description)
        XCTAssertTrue(egress.stderr.contains("--egress"), egress.description)
    }
}
