import Foundation
import Host
import XCTest

@testable import IntegrationRuntime

/// Issue 13, point 7: however `check` reuses what it loaded (`CheckMode`), every case sees
/// its script as freshly loaded: module-level locals, globals and library tables written
/// while loading, a library's module-level state (a local counter, a local table), the
/// sandbox's refusal of global writes, and the cache all start anew. In `reused` mode the
/// cases really share one VM (the tests check that they do).
final class CheckIsolationTests: XCTestCase {
    static let library = """
        local bumps = 0
        local seen = {}
        local M = {}
        function M.bump() bumps = bumps + 1; return bumps end
        function M.note(id) seen[#seen + 1] = id; return #seen end
        return M
        """

    /// Each piece of state would read 2, 3, ... (or the write would fail) in the second case
    /// if the VM were reused as it is, or if the script were run again in the same globals.
    static let script = """
        local counter = require("lib.counter")
        local M = { name = "demo", title = "Demo", actions = { "push" }, params = {} }
        local calls = 0
        loads = (rawget(_G, "loads") or 0) + 1
        string.extra_loads = (string.extra_loads or 0) + 1
        function M.prepare(lead, ctx)
          calls = calls + 1
          local wrote = pcall(function() leaked = true end)
          local raw = pcall(rawset, _G, "leaked", true)
          local seen = cache.get("seen")
          cache.set("seen", "yes", 60)
          return { outcome = "rejected", reason = "duplicate",
            message = string.format("calls=%d loads=%d string=%d lib=%d noted=%d cached=%s wrote=%s raw=%s leaked=%s",
              calls, loads, string.extra_loads, counter.bump(), counter.note(lead.id), tostring(seen),
              tostring(wrote), tostring(raw), tostring(leaked)) }
        end
        function M.parse_status(response, ctx) return { outcome = "error" } end
        return M
        """

    static let fresh = "calls=1 loads=1 string=1 lib=1 noted=1 cached=nil wrote=false raw=false leaked=nil"

    func directory(cases: Int) throws -> CheckDirectory {
        let dir = try CheckDirectory(scripts: ["demo": Self.script])
        try FileManager.default.createDirectory(atPath: dir.path + "/integrations/lib", withIntermediateDirectories: true)
        try Self.library.write(toFile: dir.path + "/integrations/lib/counter.lua", atomically: true, encoding: .utf8)
        for n in 1...cases {
            try dir.write(
                "demo", "case\(n)",
                #"{ "description": "case \#(n)", "action": "push", "params": {}, "lead": { "id": "L-\#(n)" }, "#
                    + #""expect": { "outcome": "rejected", "message": "\#(Self.fresh)" } }"#)
        }
        return dir
    }

    func testEveryCaseSeesTheScriptFreshlyLoadedInEveryMode() async throws {
        let dir = try directory(cases: 4)
        defer { dir.remove() }
        for mode in CheckMode.allCases {
            let report = await FixtureRunner.check(
                integrations: dir.path + "/integrations", fixtures: dir.path + "/fixtures", mode: mode)
            XCTAssertEqual(report.cases.count, 4, "\(mode): \(report.text())")
            XCTAssertEqual(report.exitCode, 0, "\(mode): \(report.text())")
        }
    }

    /// The `reused` session runs every case on the VM of the first: the isolation above is
    /// the reload's doing, not a new VM's.
    func testReusedCasesRunOnOneVMAndEachSeesTheScriptFresh() async throws {
        let dir = try directory(cases: 5)
        defer { dir.remove() }
        let catalog = try IntegrationCatalog.scan(dir.path + "/integrations")
        let session = try FixtureSession(
            catalog: catalog, name: "demo", limits: .default, modules: StandardModules.all, compiled: CompiledCatalog(catalog))
        defer { session.shutdown() }
        var vms: Set<ObjectIdentifier> = []
        for n in 1...5 {
            let report = await session.run(try fixture(dir, "demo", "case\(n)"))
            XCTAssertNil(report.difference, "case \(n): \(report.differences)")
            let vm = try XCTUnwrap(session.reusable?.vm, "case \(n) left no VM to reuse")
            vms.insert(ObjectIdentifier(vm))
        }
        XCTAssertEqual(vms.count, 1, "the cases did not share one VM")
        XCTAssertEqual(session.newVMs, 0)
    }

    /// A case that hits a limit leaves its VM behind: the next case runs on a new one, and a
    /// limit is hit the same on a VM that has served earlier cases.
    func testACaseThatHitALimitHandsTheNextCaseANewVM() async throws {
        let script = """
            local M = { name = "demo", title = "Demo", actions = { "push" }, params = {} }
            local calls = 0
            function M.prepare(lead, ctx)
              calls = calls + 1
              if lead.id == "loop" then while true do end end
              if lead.id == "hog" then local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 4096) .. i end end
              return { outcome = "rejected", reason = "duplicate", message = "calls=" .. calls }
            end
            function M.parse_status(response, ctx) return { outcome = "error" } end
            return M
            """
        let dir = try CheckDirectory(scripts: ["demo": script])
        defer { dir.remove() }
        let ids = ["L-1", "loop", "L-3", "L-4", "loop", "L-6", "hog", "L-8"]
        for (n, id) in ids.enumerated() {
            let expect =
                id.hasPrefix("L-")
                ? #"{ "outcome": "rejected", "message": "calls=1" }"# : #"{ "outcome": "error" }"#
            try dir.write(
                "demo", "case\(n)",
                #"{ "description": "\#(id)", "action": "push", "params": {}, "lead": { "id": "\#(id)" }, "expect": \#(expect) }"#)
        }
        var limits = LuaLimits()
        limits.instructions = 2_000_000
        limits.cpuSeconds = 3600
        limits.memoryBytes = 8 << 20
        let catalog = try IntegrationCatalog.scan(dir.path + "/integrations")
        let session = try FixtureSession(
            catalog: catalog, name: "demo", limits: limits, modules: StandardModules.all, compiled: CompiledCatalog(catalog))
        defer { session.shutdown() }
        var messages: [String] = []
        for n in 0..<ids.count {
            let report = await session.run(try fixture(dir, "demo", "case\(n)"))
            XCTAssertNil(report.difference, "case \(n) (\(ids[n])): \(report.differences)")
            messages.append(report.actual ?? "")
        }
        XCTAssertTrue(messages[1].contains("instruction"), messages[1])
        XCTAssertTrue(messages[4].contains("instruction"), messages[4])  // on a VM that served L-3 and L-4
        XCTAssertTrue(messages[6].contains("memory"), messages[6])
        XCTAssertEqual(session.newVMs, 3, "a new VM after each case that hit a limit, none otherwise")
    }

    func fixture(_ dir: CheckDirectory, _ integration: String, _ name: String) throws -> Fixture {
        let file = "\(dir.path)/fixtures/\(integration)/\(name).json"
        return try FixtureLoader.load(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: file))), file: file, integration: integration)
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
