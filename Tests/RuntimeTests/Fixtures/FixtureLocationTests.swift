import Foundation
import Host
import IntegrationRuntime
import XCTest

/// A failing case's `at:` is the script line where the call failed, with the hook that
/// ran; when no line is known, the hook that ran (and where it is defined), or the check
/// that failed before any hook ran. A call that failed shows its message in the diff.
final class FixtureLocationTests: XCTestCase {
    var directory: CheckDirectory!
    var dir: String { directory.path }

    static let script = """
        local M = {
          name = "demo", title = "Demo", actions = { "push" },
          params = { base_url = { default = "https://crm.example" }, token = { required = true } },
        }
        function M.prepare(lead, ctx)
          if lead.id == "early" then return { outcome = "rejected", reason = "invalid_data" } end
          return { url = ctx.params.base_url .. "/leads", json = { id = lead.id } }
        end
        function M.parse_status(response, ctx)
          if ctx.lead.id == "crash" then
            local missing = response.json.nothing.here
          end
          if ctx.lead.id == "shapeless" then return { outcome = "fine" } end
          return { outcome = "accepted", external_id = ctx.lead.id }
        end
        return M
        """

    override func setUpWithError() throws { directory = try CheckDirectory(scripts: ["demo": Self.script]) }

    override func tearDownWithError() throws { directory.remove() }

    /// Runs one case for the lead `lead` that expects it accepted; returns its `at:` and diff.
    func failure(
        lead: String, params: String = #"{ "token": "t-1" }"#, url: String = "https://crm.example/leads",
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> (at: String?, diff: String) {
        let fixture = """
            { "description": "\(lead)", "action": "push", "params": \(params), "lead": { "id": "\(lead)" },
              "exchanges": [ { "request": { "method": "POST", "url": "\(url)" },
                               "response": { "status": 200, "json": { "ok": true } } } ],
              "expect": { "outcome": "accepted", "external_id": "\(lead)" } }
            """
        try directory.write("demo", "case", fixture)
        let report = await directory.check()
        XCTAssertEqual(report.failed.count, 1, report.text(), file: file, line: line)
        return (report.failed.first?.location, report.failed.first?.difference ?? "")
    }

    func testARuntimeErrorIsPlacedAtItsLineAndShowsItsMessage() async throws {
        let (at, diff) = try await failure(lead: "crash")
        XCTAssertEqual(at, dir + "/integrations/demo.lua:11 (parse_status)")
        XCTAssertEqual(
            diff,
            #"expect.outcome: expected "accepted", got "error": demo.lua:11: parse_status: attempt to index a nil value (field 'nothing')"#)
    }

    func testAMissingParameterIsPlacedAtTheParamsCheck() async throws {
        let (at, diff) = try await failure(lead: "L-1", params: "{}")
        XCTAssertEqual(at, dir + "/integrations/demo.lua (params)")
        XCTAssertEqual(
            diff,
            #"exchanges[0].request: expected POST https://crm.example/leads, got no request ({"message":"demo: params: missing required parameter \"token\" (set it on the offer)","outcome":"error"})"#
        )
    }

    func testAResultOfTheWrongShapeIsPlacedAtTheHookThatReturnedIt() async throws {
        let (at, diff) = try await failure(lead: "shapeless")
        XCTAssertEqual(at, dir + "/integrations/demo.lua (parse_status, defined at line 9)")
        XCTAssertTrue(
            diff.hasPrefix(#"expect.outcome: expected "accepted", got "error": demo: parse_status: returned a result of the wrong shape"#),
            diff)
    }

    func testAnOutcomeFromPrepareIsPlacedAtPrepareNotAtAHookThatNeverRan() async throws {
        let (at, _) = try await failure(lead: "early")
        XCTAssertEqual(at, dir + "/integrations/demo.lua (prepare, defined at line 5)")
    }

    func testARequestDifferenceIsPlacedAtTheHookThatMadeTheRequest() async throws {
        let (at, diff) = try await failure(lead: "L-1", url: "https://crm.example/other")
        XCTAssertEqual(at, dir + "/integrations/demo.lua (prepare, defined at line 5)")
        XCTAssertTrue(diff.hasPrefix("exchanges[0].request.url"), diff)
    }
}
