import Foundation
import LoopbackTesting
import Synchronization
import XCTest

/// `leadrelay run` as a tool in a shell script (issue 13, point 5): a status check split by
/// the script's `limits.batch` as the service splits it, `--expect` for the exit status,
/// `--format curl` to replay a request by hand. Only loopback is reached.
final class RunAsToolProcessTests: XCTestCase {
    static let script = """
        local ipairs, table, tostring = ipairs, table, tostring
        local M = {
          name = "batchy", title = "Batches", actions = { "push", "status" },
          params = { base_url = { required = true }, token = { required = true, secret = true } },
          limits = { batch = 50 },
        }
        function M.prepare(lead, ctx)
          local p = ctx.params
          if ctx.action == "status" then
            local ids = {}
            for _, item in ipairs(ctx.leads) do ids[#ids + 1] = item.external_id end
            return { method = "GET", url = p.base_url .. "/leads", query = { ids = table.concat(ids, ",") },
                     headers = { ["X-Token"] = p.token } }
          end
          return { method = "POST", url = p.base_url .. "/leads",
                   headers = { ["X-Token"] = p.token, ["Content-Type"] = "application/json" },
                   json = { email = lead.email, note = "it's $HOME `x`" } }
        end
        function M.parse_status(response, ctx)
          if ctx.action == "status" then
            local updates = {}
            for _, id in ipairs(response.json.ids) do
              updates[#updates + 1] = { external_id = id, stage = "wait", status = "new" }
            end
            return { updates = updates }
          end
          if response.status == 200 then return { outcome = "accepted", external_id = tostring(response.json.id) } end
          return { outcome = "rejected", reason = "duplicate", message = "status " .. response.status }
        end
        return M
        """

    /// What the test server saw and how it answers.
    final class ServerState: Sendable {
        /// The number of ids of each status request, in order.
        let batches = Mutex<[Int]>([])
        /// The status a POST is answered with.
        let postStatus = Atomic<Int>(200)
        /// The body of each POST, in order.
        let posted = Mutex<[String]>([])
    }

    var dir: TemporaryDirectory!
    var server: LoopbackHTTPServer!
    let state = ServerState()

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try dir.write("integrations/batchy.lua", Self.script)
        try dir.write("lead.json", #"{ "id": "L-1", "email": "a@example.com" }"#)
        let state = self.state
        server = LoopbackHTTPServer { request in
            guard request.method == "GET" else {
                state.posted.withLock { $0.append(String(decoding: request.body, as: UTF8.self)) }
                return LoopbackResponse(
                    status: state.postStatus.load(ordering: .relaxed), headers: [("Content-Type", "application/json")], text: #"{"id":7}"#)
            }
            let value = request.query.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
            let ids = (value.removingPercentEncoding ?? value).split(separator: ",").map { "\"\($0)\"" }
            state.batches.withLock { $0.append(ids.count) }
            return LoopbackResponse(
                status: 200, headers: [("Content-Type", "application/json")], text: #"{"ids":[\#(ids.joined(separator: ","))]}"#)
        }
        try server.start()
        try dir.write("params.json", #"{ "base_url": "\#(server.url(""))", "token": "tok-0123456789" }"#)
    }

    override func tearDown() {
        server.stop()
        dir = nil
    }

    func run(_ extra: [String]) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(
            ["run", "batchy", "--lead", "lead.json", "--params", "params.json", "--integrations", "integrations"] + extra,
            in: dir.path)
    }

    func json(_ finished: LeadRelayProcess.Finished) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(finished.stdout.utf8)) as? [String: Any], finished.description)
    }

    /// 60 leads, `limits.batch = 50`: two requests of 50 and 10 ids, their updates merged.
    func testAStatusRunIsSplitByTheScriptsBatch() throws {
        let leads = (1...60).map { #"{ "id": "L-\#($0)", "external_id": "x\#($0)", "created_at": "2026-01-01T00:00:00Z" }"# }
        try dir.write("leads.json", #"{ "leads": [\#(leads.joined(separator: ","))] }"#)
        let finished = try LeadRelayProcess.run(
            [
                "run", "batchy", "--lead", "leads.json", "--params", "params.json", "--integrations", "integrations",
                "--action", "status", "--check", "processing",
            ], in: dir.path)
        XCTAssertEqual(finished.status, 0, finished.description)
        XCTAssertEqual(state.batches.withLock { $0 }, [50, 10], finished.description)
        let output = try json(finished)
        let updates = try XCTUnwrap(output["updates"] as? [[String: Any]], finished.description)
        XCTAssertEqual(updates.map { $0["external_id"] as? String }, (1...60).map { "x\($0)" })
        XCTAssertEqual((output["exchanges"] as? [Any])?.count, 2, finished.description)
        XCTAssertEqual(output["calls"] as? Int, 2, finished.description)
    }

    /// A dry run of a split check shows every batch's request; as curl, one line each.
    func testADryRunOfASplitCheckShowsEachBatch() throws {
        let leads = (1...60).map { #"{ "id": "L-\#($0)", "external_id": "x\#($0)", "created_at": "2026-01-01T00:00:00Z" }"# }
        try dir.write("leads.json", #"{ "leads": [\#(leads.joined(separator: ","))] }"#)
        let base = [
            "run", "batchy", "--lead", "leads.json", "--params", "params.json", "--integrations", "integrations",
            "--action", "status", "--check", "processing", "--dry-run",
        ]
        let json = try json(try LeadRelayProcess.run(base, in: dir.path))
        XCTAssertEqual((json["requests"] as? [Any])?.count, 2, "\(json)")
        XCTAssertEqual(json["calls"] as? Int, 2, "\(json)")
        let curl = try LeadRelayProcess.run(base + ["--format", "curl"], in: dir.path)
        XCTAssertEqual(curl.status, 0, curl.description)
        let lines = curl.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, curl.description)
        XCTAssertTrue(lines[0].contains("ids=x1%2Cx2%2C"), curl.description)
        XCTAssertTrue(lines[1].contains("ids=x51%2Cx52%2C"), curl.description)
        XCTAssertTrue(state.batches.withLock { $0.isEmpty }, "a dry run sent a request")
    }

    /// `--expect accepted` on a rejected outcome: exit 1, both outcomes named.
    func testExpectAcceptedOnARejectionIsOne() throws {
        state.postStatus.store(409, ordering: .relaxed)
        let finished = try run(["--expect", "accepted"])
        XCTAssertEqual(finished.status, 1, finished.description)
        XCTAssertTrue(finished.stderr.contains("expected accepted, got rejected duplicate"), finished.description)
        XCTAssertEqual(try json(finished)["outcome"] as? String, "rejected")
    }

    func testExpectMatchingIsZero() throws {
        XCTAssertEqual(try run(["--expect", "accepted"]).status, 0)
        state.postStatus.store(409, ordering: .relaxed)
        XCTAssertEqual(try run(["--expect", "rejected"]).status, 0)
        XCTAssertEqual(try run(["--expect", "rejected:duplicate"]).status, 0)
        let other = try run(["--expect", "rejected:filtered"])
        XCTAssertEqual(other.status, 1, other.description)
        XCTAssertTrue(other.stderr.contains("expected rejected filtered, got rejected duplicate"), other.description)
    }

    /// A status check that returned updates matches `updates`, not an outcome.
    func testExpectUpdatesOfAStatusRun() throws {
        try dir.write("leads.json", #"{ "leads": [{ "id": "L-1", "external_id": "x1", "created_at": "2026-01-01T00:00:00Z" }] }"#)
        let base = ["run", "batchy", "--lead", "leads.json", "--params", "params.json", "--integrations", "integrations"]
        let status = base + ["--action", "status", "--check", "processing"]
        XCTAssertEqual(try LeadRelayProcess.run(status + ["--expect", "updates"], in: dir.path).status, 0)
        let wrong = try LeadRelayProcess.run(status + ["--expect", "retry"], in: dir.path)
        XCTAssertEqual(wrong.status, 1, wrong.description)
        XCTAssertTrue(wrong.stderr.contains("expected retry, got updates (1)"), wrong.description)
    }

    /// With `--expect`, a usage error or an input that cannot be used is 2, never 1.
    func testExpectUsageErrorsAreTwo() throws {
        for bad in ["accept", "rejected:nonsense", "accepted:duplicate", ""] {
            let finished = try run(["--expect", bad])
            XCTAssertEqual(finished.status, 2, "\(bad): \(finished.description)")
            XCTAssertTrue(finished.stderr.contains("--expect"), "\(bad): \(finished.description)")
        }
        let missing = try LeadRelayProcess.run(["run", "batchy", "--params", "params.json", "--expect", "accepted"], in: dir.path)
        XCTAssertEqual(missing.status, 2, missing.description)
        let dry = try run(["--expect", "accepted", "--dry-run"])
        XCTAssertEqual(dry.status, 2, dry.description)
        XCTAssertTrue(dry.stderr.contains("--dry-run"), dry.description)
        let unreadable = try run(["--expect", "accepted", "--lead", "nosuch.json"])
        XCTAssertEqual(unreadable.status, 2, unreadable.description)
    }

    /// `--format curl`: one sh-quoted curl line per request, secrets masked.
    func testFormatCurlPrintsTheRequestMasked() throws {
        let finished = try run(["--dry-run", "--format", "curl"])
        XCTAssertEqual(finished.status, 0, finished.description)
        let url = server.url("/leads")
        XCTAssertEqual(
            finished.stdout,
            """
            curl -sS -X POST '\(url)' -H 'Content-Type: application/json' -H 'X-Token: ***' \
            --max-time 30 --data-binary '{"email":"a@example.com","note":"it'\\''s $HOME `x`"}'

            """, finished.description)
        XCTAssertFalse(finished.stdout.contains("tok-0123456789"))
    }

    /// The printed line, run by sh, sends what the script sends (secrets shown on request).
    func testFormatCurlWithShowSecretsReplaysInSh() throws {
        let finished = try run(["--format", "curl", "--show-secrets"])
        XCTAssertEqual(finished.status, 0, finished.description)
        XCTAssertTrue(finished.stdout.contains("-H 'X-Token: tok-0123456789'"), finished.description)
        XCTAssertTrue(finished.stdout.contains("# outcome: accepted"), finished.description)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
        let curlLine = try XCTUnwrap(finished.stdout.split(separator: "\n").first { $0.hasPrefix("curl ") })
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = ["-c", String(curlLine)]
        let out = Pipe()
        sh.standardOutput = out
        try sh.run()
        let body = out.fileHandleForReading.readDataToEndOfFile()
        sh.waitUntilExit()
        XCTAssertEqual(sh.terminationStatus, 0)
        XCTAssertEqual(String(decoding: body, as: UTF8.self), #"{"id":7}"#)
        // sh passed the quote, the dollar and the backquotes through untouched: the same body twice.
        let posted = state.posted.withLock { $0 }
        XCTAssertEqual(posted.count, 2)
        XCTAssertEqual(posted.last, #"{"email":"a@example.com","note":"it's $HOME `x`"}"#)
        XCTAssertEqual(posted.first, posted.last)
    }

    func testShowSecretsNeedsFormatCurl() throws {
        let finished = try run(["--show-secrets"])
        XCTAssertEqual(finished.status, 64, finished.description)
        XCTAssertTrue(finished.stderr.contains("--show-secrets"), finished.description)
        let format = try run(["--format", "yaml"])
        XCTAssertEqual(format.status, 64, format.description)
        XCTAssertTrue(format.stderr.contains("--format"), format.description)
    }
}
