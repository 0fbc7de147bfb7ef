import Foundation
import XCTest

/// `leadrelay check` as a subprocess on issue 13's complaints: a typo'd `expect` key exits 2
/// naming the file and the key's path; a wrong outcome lists every difference, the
/// outcome's first; `-v` prints log lines and the actual result.
final class CheckStrictFixturesProcessTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try dir.write(
            "integrations/demo.lua",
            """
            local M = { name = "demo", title = "Demo", actions = { "push" }, params = { base_url = { required = true } } }
            function M.prepare(lead, ctx)
              log.info("sending", lead.id)
              return { url = ctx.params.base_url .. "/leads", json = { id = lead.id } }
            end
            function M.parse_status(response, ctx)
              return { outcome = "rejected", reason = "duplicate", message = "exists" }
            end
            return M
            """)
    }

    override func tearDown() { dir = nil }

    func fixture(_ expect: String) -> String {
        """
        { "description": "d", "action": "push", "params": { "base_url": "https://crm.example" }, "lead": { "id": "L-1" },
          "exchanges": [ { "request": { "url": "https://crm.example/leads" }, "response": { "status": 409 } } ],
          "expect": \(expect) }
        """
    }

    func check(_ extra: [String] = []) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(["check", "--integrations", "integrations", "--fixtures", "fixtures"] + extra, in: dir.path)
    }

    func testATypoInExpectExitsTwoNamingFileAndKey() throws {
        try dir.write("fixtures/demo/push-ok.json", fixture(#"{ "outcome": "rejected", "externalid": "L123" }"#))
        let run = try check()
        XCTAssertEqual(run.status, 2, run.description)
        XCTAssertTrue(
            run.stdout.contains("fixtures/demo/push-ok.json: expect.externalid: unknown key; did you mean external_id?"), run.description)
    }

    func testAWrongOutcomeIsTheFirstOfEveryDifference() throws {
        try dir.write("fixtures/demo/push-ok.json", fixture(#"{ "outcome": "accepted", "external_id": "L123" }"#))
        let run = try check()
        XCTAssertEqual(run.status, 1, run.description)
        let diffs = run.stdout.split(separator: "\n").filter { $0.hasPrefix("     diff:") }
        XCTAssertEqual(
            diffs,
            [
                #"     diff:  expect.outcome: expected "accepted", got "rejected""#,
                #"     diff:  expect.external_id: expected "L123", got nothing"#,
            ],
            run.description)
    }

    func testVerbosePrintsLogLinesAndTheResult() throws {
        try dir.write("fixtures/demo/push-ok.json", fixture(#"{ "outcome": "rejected" }"#))
        let run = try check(["-v"])
        XCTAssertEqual(run.status, 0, run.description)
        XCTAssertTrue(run.stdout.contains("     log:   [info] sending L-1\n"), run.description)
        XCTAssertTrue(run.stdout.contains(#"     got:   {"message":"exists","outcome":"rejected","reason":"duplicate"}"#), run.description)
    }
}
