import Foundation
import LeadJSON
import LoopbackTesting
import XCTest

/// `leadrelay run --record FILE` (issue 13, point 6): a live call written as a fixture that
/// `leadrelay check` replays and passes, with no secret in it.
final class RunRecordProcessTests: XCTestCase {
    var dir: TemporaryDirectory!
    let root = LeadRelayProcess.root

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    func check(_ integrations: String, only: String) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(["check", "--integrations", integrations, "--fixtures", "fx", "--only", only, "-v"], in: dir.path)
    }

    func testACallRecordedAgainstTheMockPassesCheckWithItsSecretNamedNotWritten() throws {
        let server = try MockProcess(
            in: dir.path,
            arguments: [
                "irev", "--case", "push-accepted", "--integrations", root + "/integrations", "--fixtures", root + "/Tests/ScriptFixtures",
            ])
        defer { server.stop() }
        let text = try String(contentsOfFile: root + "/Tests/ScriptFixtures/irev/push-accepted.json", encoding: .utf8)
        let case_ = try XCTUnwrap(try JSONValue.parse(Array(text.utf8)).objectValue)
        var params = try XCTUnwrap(case_["params"]?.objectValue)
        params["base_url"] = .string(server.url)
        try dir.write("lead.json", try XCTUnwrap(case_["lead"]).encoded())
        try dir.write("params.json", JSONValue.object(params).encoded())
        let done = try LeadRelayProcess.run(
            [
                "run", "irev", "--lead", "lead.json", "--params", "params.json", "--integrations", root + "/integrations", "--record",
                "fx/irev/recorded.json",
            ], in: dir.path)
        XCTAssertEqual(done.status, 0, done.description)
        XCTAssertTrue(done.stderr.contains("recorded the call as a fixture in fx/irev/recorded.json"), done.stderr)
        let written = try String(contentsOfFile: dir.path + "/fx/irev/recorded.json", encoding: .utf8)
        XCTAssertFalse(written.contains("irev-test-token"), written)
        let fixture = try XCTUnwrap(try JSONValue.parse(Array(written.utf8)).objectValue)
        XCTAssertEqual(fixture["params"]?["api_token"]?.stringValue, "***api_token***")
        XCTAssertEqual(fixture["expect"]?["outcome"]?.stringValue, "accepted")
        XCTAssertEqual(fixture["expect"]?["external_id"]?.stringValue, "0f1b8398-e144-4fa6-93e0-1d7dce7b74db")
        let checked = try check(root + "/integrations", only: "irev")
        XCTAssertEqual(checked.status, 0, checked.description)
        XCTAssertTrue(checked.stdout.contains("1 passed, 0 failed"), checked.stdout)
    }

    static let signedScript = """
        local crypto, json, tostring = crypto, json, tostring
        local M = {
          name = "signed", title = "Signed pushes", actions = { "push" },
          params = { base_url = { required = true }, secret = { required = true, secret = true } },
        }
        function M.prepare(lead, ctx)
          local body = json.encode({ email = lead.email, sent_at = ctx.now, nonce = tostring(math.random(1, 1e9)) })
          return { method = "POST", url = ctx.params.base_url .. "/leads", query = { ts = ctx.now, source = "lr" },
                   headers = { ["Content-Type"] = "application/json",
                               ["X-Signature"] = crypto.hmac("sha256", ctx.params.secret, body),
                               ["X-Key"] = ctx.params.secret },
                   body = body }
        end
        function M.parse_status(response)
          if response.status == 201 then return { outcome = "accepted", external_id = tostring(response.json.id) } end
          return { outcome = "rejected", reason = "invalid_data", message = response.body }
        end
        return M
        """

    func testSignaturesNoncesAndTimestampsAreRecordedAsAnyAndTheRecordingReplays() throws {
        try dir.write("integrations/signed.lua", Self.signedScript)
        let server = LoopbackHTTPServer { _ in
            LoopbackResponse(
                status: 201, headers: [("Content-Type", "application/json"), ("Date", "Mon, 07 Dec 2026 10:00:00 GMT")], text: #"{"id":42}"#
            )
        }
        try server.start()
        defer { server.stop() }
        try dir.write("lead.json", #"{ "id": "L-1", "email": "a@example.com" }"#)
        try dir.write("params.json", #"{ "base_url": "\#(server.url(""))", "secret": "s3cret-key-0123" }"#)
        let done = try LeadRelayProcess.run(
            [
                "run", "signed", "--lead", "lead.json", "--params", "params.json", "--integrations", "integrations", "--record",
                "fx/signed/recorded.json", "--expect", "accepted",
            ], in: dir.path)
        XCTAssertEqual(done.status, 0, done.description)
        let written = try String(contentsOfFile: dir.path + "/fx/signed/recorded.json", encoding: .utf8)
        XCTAssertFalse(written.contains("s3cret-key-0123"), written)
        let request = try XCTUnwrap(
            try JSONValue.parse(Array(written.utf8))["exchanges"]?.arrayValue?.first?["request"], written)
        XCTAssertEqual(request["headers"]?["X-Signature"]?.stringValue, "{{any}}")
        XCTAssertEqual(request["headers"]?["X-Key"]?.stringValue, "***secret***")
        XCTAssertEqual(request["query"]?["ts"]?.stringValue, "{{any}}")
        XCTAssertEqual(request["query"]?["source"]?.stringValue, "lr")
        XCTAssertEqual(request["json"]?["sent_at"]?.stringValue, "{{any}}")
        XCTAssertEqual(request["json"]?["nonce"]?.stringValue, "{{any}}")
        XCTAssertEqual(request["json"]?["email"]?.stringValue, "a@example.com")
        let response = try XCTUnwrap(try JSONValue.parse(Array(written.utf8))["exchanges"]?.arrayValue?.first?["response"])
        XCTAssertNil(response["headers"]?["date"], written)
        let checked = try check("integrations", only: "signed")
        XCTAssertEqual(checked.status, 0, checked.description)
        XCTAssertTrue(checked.stdout.contains("1 passed, 0 failed"), checked.stdout)
    }
}
