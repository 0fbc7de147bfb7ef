import Foundation
import Host
import XCTest

@testable import IntegrationRuntime

/// Issue 13, point 7: `check` runs several integrations at once (`workers`), and its report
/// is the one a check of one integration after the other gives: the same load errors,
/// warnings and cases, in the same order, with the same text.
final class CheckWorkersTests: XCTestCase {
    static func script(_ name: String) -> String {
        """
        local M = { name = "\(name)", title = "\(name)", actions = { "push" },
          params = { api_key = { secret = true, description = "key" } } }
        local calls = 0
        function M.prepare(lead, ctx)
          calls = calls + 1
          if lead.id == "boom" then error("boom in \(name)") end
          return { outcome = "rejected", reason = "duplicate", message = "\(name) " .. lead.id .. " calls=" .. calls }
        end
        function M.parse_status(response, ctx) return { outcome = "error" } end
        return M
        """
    }

    static func fixture(_ name: String, _ id: String, expect: String) -> String {
        #"{ "description": "\#(name) \#(id)", "action": "push", "params": { "api_key": "k-\#(id)" }, "lead": { "id": "\#(id)" }, "#
            + #""expect": { "outcome": "rejected", "message": "\#(expect)" } }"#
    }

    /// Directories of different sizes (the biggest last in name order, so the order they are
    /// scheduled in is not the order of the report), with passing and failing cases, a
    /// crash, a fixture that does not load, fixtures of no script and a script with none.
    func directory() throws -> CheckDirectory {
        let names = ["alpha", "bravo", "charlie", "delta", "echo"]
        var scripts: [String: String] = [:]
        for name in names { scripts[name] = Self.script(name) }
        scripts["lonely"] = Self.script("lonely")
        let dir = try CheckDirectory(scripts: scripts)
        try FileManager.default.removeItem(atPath: dir.path + "/fixtures/lonely")
        for (n, name) in names.enumerated() {
            for i in 1...(2 + 3 * n) {
                let id = "L-\(i)"
                // Every third case expects a wrong message: a failure with a difference.
                let expect = i % 3 == 0 ? "\(name) wrong" : "\(name) \(id) calls=1"
                try dir.write(name, String(format: "case%02d", i), Self.fixture(name, id, expect: expect))
            }
            try dir.write(name, "crash", Self.fixture(name, "boom", expect: "never"))
        }
        try dir.write("charlie", "broken", #"{ "description": "not closed""#)
        try FileManager.default.createDirectory(atPath: dir.path + "/fixtures/ghost", withIntermediateDirectories: true)
        return dir
    }

    func testTheReportIsTheSameWhateverTheWorkers() async throws {
        let dir = try directory()
        defer { dir.remove() }
        for mode in [CheckMode.reused, .swapped, .compiled] {
            let one = await FixtureRunner.check(
                integrations: dir.path + "/integrations", fixtures: dir.path + "/fixtures", mode: mode, workers: 1)
            let expected = 5 + 2 + 5 + 8 + 11 + 14  // a crash per script and its 2 + 3n cases
            XCTAssertEqual(one.cases.count, expected, "\(mode)")
            XCTAssertFalse(one.failed.isEmpty, "\(mode)")
            XCTAssertEqual(one.loadErrors.count, 2, "\(mode): \(one.text())")
            XCTAssertFalse(one.warnings.isEmpty, "\(mode)")
            for workers in [2, 3, 8] {
                let many = await FixtureRunner.check(
                    integrations: dir.path + "/integrations", fixtures: dir.path + "/fixtures", mode: mode, workers: workers)
                XCTAssertEqual(many.text(verbose: true), one.text(verbose: true), "\(mode), \(workers) workers")
                XCTAssertEqual(many.cases.map(\.file), one.cases.map(\.file), "\(mode), \(workers) workers")
                XCTAssertEqual(many.warnings, one.warnings, "\(mode), \(workers) workers")
                XCTAssertEqual(many.scripts, one.scripts, "\(mode), \(workers) workers")
            }
        }
    }

    /// The shipped fixtures: the same cases in the same order, one worker or two.
    func testTheShippedFixturesGiveTheSameReport() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let integrations = root.appendingPathComponent("integrations").path
        let fixtures = root.appendingPathComponent("Tests/ScriptFixtures").path
        let one = await FixtureRunner.check(integrations: integrations, fixtures: fixtures, workers: 1)
        let two = await FixtureRunner.check(integrations: integrations, fixtures: fixtures, workers: 2)
        XCTAssertGreaterThan(one.cases.count, 100)
        XCTAssertEqual(two.text(verbose: true), one.text(verbose: true))
    }
}
