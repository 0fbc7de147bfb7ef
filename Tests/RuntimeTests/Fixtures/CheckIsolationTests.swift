import Foundation
import Host
import IntegrationRuntime
import XCTest

/// Issue 13, point 7: however `check` reuses what it loaded (`CheckMode`), every case sees
/// its script as freshly loaded: module-level locals, globals set while loading, a library's
/// module-level state and the cache all start anew.
final class CheckIsolationTests: XCTestCase {
    static let library = """
        local bumps = 0
        local M = {}
        function M.bump() bumps = bumps + 1; return bumps end
        return M
        """

    static let script = """
        local counter = require("lib.counter")
        local M = { name = "demo", title = "Demo", actions = { "push" }, params = {} }
        local calls = 0
        loads = (rawget(_G, "loads") or 0) + 1
        function M.prepare(lead, ctx)
          calls = calls + 1
          local seen = cache.get("seen")
          cache.set("seen", "yes", 60)
          return { outcome = "rejected", reason = "duplicate",
            message = string.format("calls=%d loads=%d lib=%d cached=%s", calls, loads, counter.bump(), tostring(seen)) }
        end
        function M.parse_status(response, ctx) return { outcome = "error" } end
        return M
        """

    func testEveryCaseSeesTheScriptFreshlyLoadedInEveryMode() async throws {
        let dir = try CheckDirectory(scripts: ["demo": Self.script])
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/integrations/lib", withIntermediateDirectories: true)
        try Self.library.write(toFile: dir.path + "/integrations/lib/counter.lua", atomically: true, encoding: .utf8)
        for n in 1...4 {
            try dir.write(
                "demo", "case\(n)",
                #"{ "description": "case \#(n)", "action": "push", "params": {}, "lead": { "id": "L-\#(n)" }, "#
                    + #""expect": { "outcome": "rejected", "message": "calls=1 loads=1 lib=1 cached=nil" } }"#)
        }
        for mode in CheckMode.allCases {
            let report = await FixtureRunner.check(
                integrations: dir.path + "/integrations", fixtures: dir.path + "/fixtures", mode: mode)
            XCTAssertEqual(report.cases.count, 4, "\(mode): \(report.text())")
            XCTAssertEqual(report.exitCode, 0, "\(mode): \(report.text())")
        }
    }

    func testAScriptThatDoesNotCompileIsReportedAsBefore() async throws {
        let dir = try CheckDirectory(scripts: ["demo": "local M = {\nreturn M"])
        defer { dir.remove() }
        try dir.write(
            "demo", "c",
            #"{ "description": "c", "action": "push", "params": {}, "lead": { "id": "L" }, "expect": { "outcome": "accepted" } }"#)
        let report = await dir.check()
        XCTAssertEqual(report.exitCode, 2, report.text())
        XCTAssertTrue(report.loadErrors.first?.message.contains("expected") == true, report.text())
        XCTAssertThrowsError(try LuaChunk.compile(LuaSource(name: "demo.lua", code: "local M = {\nreturn M"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("demo.lua:2:"), "\(error)")
        }
    }
}
