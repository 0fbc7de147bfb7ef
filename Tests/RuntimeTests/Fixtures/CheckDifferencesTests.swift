import Foundation
import Host
import IntegrationRuntime
import XCTest

/// Issue 13, point 2, through `leadrelay check`'s report: a param the script does not declare
/// is a load error; a failing case lists every difference, the outcome first; `check -v`
/// shows each case's log lines and actual result.
final class CheckDifferencesTests: XCTestCase {
    static let script = """
        local M = { name = "demo", title = "Demo", actions = { "push" },
          params = { base_url = { required = true }, api_token = { required = true, secret = true } } }
        function M.prepare(lead, ctx)
          log.info("preparing", lead.id)
          return { outcome = "rejected", reason = "duplicate", message = "Lead already exists" }
        end
        function M.parse_status(response, ctx) return { outcome = "error" } end
        return M
        """

    func fixture(params: String = #"{ "base_url": "https://crm.example", "api_token": "tok-123456" }"#, expect: String) -> String {
        #"{ "description": "d", "action": "push", "params": \#(params), "lead": { "id": "L-1" }, "expect": \#(expect) }"#
    }

    func testAParamTheScriptDoesNotDeclareIsALoadError() async throws {
        let dir = try CheckDirectory(scripts: ["demo": Self.script])
        defer { dir.remove() }
        try dir.write(
            "demo", "typo",
            fixture(params: #"{ "base_url": "https://crm.example", "api_tokn": "x" }"#, expect: #"{ "outcome": "rejected" }"#))
        let report = await dir.check()
        XCTAssertEqual(report.exitCode, 2, report.text())
        let error = report.loadErrors.first
        XCTAssertEqual(error?.file, dir.path + "/fixtures/demo/typo.json")
        XCTAssertTrue(error?.message.contains("params.api_tokn") == true, report.text())
        XCTAssertTrue(error?.message.contains("did you mean api_token?") == true, report.text())
    }

    func testEveryDifferenceIsListedTheOutcomeFirst() async throws {
        let dir = try CheckDirectory(scripts: ["demo": Self.script])
        defer { dir.remove() }
        try dir.write(
            "demo", "wrong",
            fixture(expect: #"{ "external_id": "L123", "outcome": "accepted", "redirect_url": "https://x.example", "message": "ok" }"#))
        let report = await dir.check()
        XCTAssertEqual(report.exitCode, 1, report.text())
        let lines = report.text().split(separator: "\n").map(String.init)
        let diffs = lines.filter { $0.hasPrefix("     diff:") }
        XCTAssertEqual(diffs.count, 4, report.text())
        guard diffs.count == 4 else { return }
        XCTAssertTrue(diffs.first?.contains(#"expect.outcome: expected "accepted", got "rejected""#) == true, report.text())
        // The rest in a stable order: the expect keys by name.
        XCTAssertTrue(diffs.dropFirst().map { $0.contains("expect.external_id") } == [true, false, false], report.text())
        XCTAssertTrue(diffs[2].contains("expect.message"), report.text())
        XCTAssertTrue(diffs[3].contains("expect.redirect_url"), report.text())
        XCTAssertEqual(report.failed.first?.differences.count, 4)
    }

    func testVerboseShowsLogLinesAndTheActualResult() async throws {
        let dir = try CheckDirectory(scripts: ["demo": Self.script])
        defer { dir.remove() }
        try dir.write("demo", "ok", fixture(expect: #"{ "outcome": "rejected", "reason": "duplicate" }"#))
        let report = await dir.check()
        XCTAssertEqual(report.exitCode, 0, report.text())
        let verbose = report.text(verbose: true).split(separator: "\n").map(String.init)
        XCTAssertTrue(verbose.contains("     log:   [info] preparing L-1"), verbose.joined(separator: "\n"))
        XCTAssertTrue(
            verbose.contains(#"     got:   {"message":"Lead already exists","outcome":"rejected","reason":"duplicate"}"#),
            verbose.joined(separator: "\n"))
        XCTAssertFalse(report.text().contains("preparing"), "without -v a passing case shows no log lines")
    }

    func testARequestThatDiffersListsEachOfItsDifferences() async throws {
        let script = """
            local M = { name = "demo", title = "Demo", actions = { "push" }, params = {} }
            function M.prepare(lead, ctx)
              return { url = "https://crm.example/leads", headers = { ["X-Key"] = "k1" }, json = { id = lead.id, n = 1 } }
            end
            function M.parse_status(response, ctx) return { outcome = "accepted" } end
            return M
            """
        let dir = try CheckDirectory(scripts: ["demo": script])
        defer { dir.remove() }
        let exchange = #"""
            [ { "request": { "method": "PUT", "url": "https://crm.example/leads", "headers": { "X-Key": "k2" },
                             "json": { "id": "L-1", "n": 2 } },
                "response": { "status": 200 } } ]
            """#
        try dir.write(
            "demo", "request",
            #"{ "description": "d", "action": "push", "params": {}, "lead": { "id": "L-1" }, "exchanges": \#(exchange), "expect": { "outcome": "accepted" } }"#
        )
        let report = await dir.check()
        XCTAssertEqual(
            report.failed.first?.differences,
            [
                #"exchanges[0].request.method: expected PUT, got POST"#,
                #"exchanges[0].request.headers.X-Key: expected "k2", got "k1""#,
                #"exchanges[0].request.json$.n: expected 2, got 1"#,
            ], report.text())
    }
}
