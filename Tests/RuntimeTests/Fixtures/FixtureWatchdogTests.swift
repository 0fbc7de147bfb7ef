import Foundation
import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// `leadrelay check` has the pools' watchdog: a case whose VM stays in host code past its
/// deadline plus the grace period ends as `time limit` (the VM is abandoned), and the
/// other cases and scripts go on with fresh VMs.
final class FixtureWatchdogTests: XCTestCase {
    var directory: CheckDirectory!
    /// Longer than any wait for the watchdog: a case that ends before this did not wait for the stall.
    static let stallSeconds = 30.0

    static let stalling = """
        local M = { name = "demo", title = "Demo", actions = { "push" }, params = {} }
        function M.prepare(lead, ctx)
          if lead.id == "stuck" then time.stall(\(stallSeconds)) end
          return { url = "https://crm.example/leads", json = { id = lead.id } }
        end
        function M.parse_status(response, ctx)
          return { outcome = "accepted", external_id = response.json.id }
        end
        return M
        """

    override func setUpWithError() throws {
        directory = try CheckDirectory(scripts: [
            "demo": Self.stalling, "other": Self.stalling.replacingOccurrences(of: "\"demo\"", with: "\"other\""),
        ])
    }

    override func tearDownWithError() throws { directory.remove() }

    /// A case of `integration` for the lead `lead`, answered 200 with its id unless `answered` is false.
    func write(_ integration: String, _ name: String, lead: String, answered: Bool = true, expect: String) throws {
        let exchanges =
            !answered
            ? "[]"
            : """
            [ { "request": { "method": "POST", "url": "https://crm.example/leads" },
                "response": { "status": 200, "json": { "id": "\(lead)" } } } ]
            """
        let fixture = """
            { "description": "\(name)", "action": "push", "params": {}, "lead": { "id": "\(lead)" },
              "exchanges": \(exchanges), "expect": \(expect) }
            """
        try directory.write(integration, name, fixture)
    }

    func testAStuckCaseEndsAsTimeLimitAndTheOtherCasesAndScriptsRun() async throws {
        try write("demo", "a-before", lead: "L-1", expect: #"{ "outcome": "accepted", "external_id": "L-1" }"#)
        try write("demo", "b-stuck", lead: "stuck", expect: #"{ "outcome": "accepted", "external_id": "stuck" }"#)
        try write(
            "demo", "c-stuck-expected", lead: "stuck", answered: false, expect: #"{ "outcome": "error", "message_contains": "time limit" }"#
        )
        try write("demo", "d-after", lead: "L-2", expect: #"{ "outcome": "accepted", "external_id": "L-2" }"#)
        try write("other", "ok", lead: "L-3", expect: #"{ "outcome": "accepted", "external_id": "L-3" }"#)
        var limits = LuaLimits()
        limits.instructions = 0
        limits.cpuSeconds = 0.2
        limits.abandonGraceSeconds = 0.3
        let started = SystemClock.monotonicNanos()
        let report = await directory.check(limits: limits, modules: StallModule.modules)
        let seconds = Double(SystemClock.monotonicNanos() - started) / 1e9
        XCTAssertLessThan(seconds, Self.stallSeconds / 2, "check waited for the stuck VM")
        XCTAssertEqual(
            report.cases.map { "\($0.integration)/\($0.description)" },
            ["demo/a-before", "demo/b-stuck", "demo/c-stuck-expected", "demo/d-after", "other/ok"], report.text())
        XCTAssertEqual(report.failed.map(\.description), ["b-stuck"], report.text())
        let stuck = report.failed.first
        let difference = stuck?.difference ?? ""
        // Judged as any call that failed before its request (the replay is read under a lock).
        XCTAssertTrue(
            difference.hasPrefix(
                #"exchanges[0].request: expected POST https://crm.example/leads, got no request ({"message":"demo: prepare: time limit exceeded: "#
            ), difference)
        XCTAssertTrue(difference.contains("abandoned"), difference)
        XCTAssertEqual(stuck?.location, directory.path + "/integrations/demo.lua (prepare, defined at line 2)")
        XCTAssertEqual(report.exitCode, 1)
    }
}
