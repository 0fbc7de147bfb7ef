import Foundation
import LoopbackTesting
import XCTest

/// `leadrelay new` (issue 13, point 3): it writes what docs/writing-integrations.md teaches
/// (`lib.outcome`, the transport mapping of its section 2, a header naming the API document
/// and each param) and fixtures for a success, a rejection, a retry and a status check that
/// pass `check` as generated.
final class ScaffoldProcessTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        try copyLibraries(to: "integrations/lib")
    }

    override func tearDown() { dir = nil }

    func leadrelay(_ arguments: [String]) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(arguments, in: dir.path)
    }

    /// The repository's `integrations/lib` copied to `relative`, as a project has it.
    func copyLibraries(to relative: String) throws {
        let lib = LeadRelayProcess.root + "/integrations/lib"
        for file in try FileManager.default.contentsOfDirectory(atPath: lib) where file.hasSuffix(".lua") {
            try dir.write(relative + "/" + file, try String(contentsOfFile: lib + "/" + file, encoding: .utf8))
        }
    }

    static let fixtures = ["push-accepted.json", "push-duplicate.json", "push-timeout.json", "status-processing.json"]

    func testNewScaffoldsAScriptAndFixturesThatPassCheck() throws {
        try copyLibraries(to: "scripts/lib")
        let new = try leadrelay(["new", "leadpond", "--integrations", "scripts", "--fixtures", "cases"])
        XCTAssertEqual(new.status, 0, new.description)
        XCTAssertEqual(
            new.stdout,
            "created scripts/leadpond.lua\n" + Self.fixtures.map { "created cases/leadpond/\($0)\n" }.joined()
                + "next: leadrelay check --integrations scripts --fixtures cases --only leadpond\n")
        let check = try leadrelay(["check", "--integrations", "scripts", "--fixtures", "cases", "--only", "leadpond"])
        XCTAssertEqual(check.status, 0, check.description)
        XCTAssertTrue(check.stdout.contains("4 case(s): 4 passed, 0 failed, 0 load error(s)"), check.description)
    }

    func testNewUsesTheDefaultDirectories() throws {
        let new = try leadrelay(["new", "leadpond"])
        XCTAssertEqual(new.status, 0, new.description)
        XCTAssertTrue(dir.exists("integrations/leadpond.lua"))
        for fixture in Self.fixtures { XCTAssertTrue(dir.exists("Tests/ScriptFixtures/leadpond/\(fixture)"), fixture) }
        let check = try leadrelay(["check"])
        XCTAssertEqual(check.status, 0, check.description)
        // Its header follows the catalog's convention: `catalog` lists it as generated.
        let catalog = try leadrelay(["catalog"])
        XCTAssertEqual(catalog.status, 0, catalog.description)
        XCTAssertTrue(catalog.stdout.contains("leadpond"), catalog.description)
    }

    /// The script follows the tutorial: lib.outcome, a header naming the API document and
    /// each declared param.
    func testTheScriptIsWhatTheTutorialTeaches() throws {
        XCTAssertEqual(try leadrelay(["new", "leadpond"]).status, 0)
        let script = try String(contentsOfFile: dir.path + "/integrations/leadpond.lua", encoding: .utf8)
        XCTAssertTrue(script.contains(#"local outcome = require("lib.outcome")"#), script)
        XCTAssertTrue(script.contains("outcome.transport(response)"), script)
        let header = try XCTUnwrap(script.components(separatedBy: "]]").first, script)
        XCTAssertTrue(header.hasPrefix("--[["), script)
        XCTAssertTrue(header.contains("\n\nDocument: "), script)
        for param in ["base_url", "api_key", "source"] {
            XCTAssertTrue(header.contains("\n  \(param)  "), "header does not name \(param): \(script)")
        }
    }

    /// A refused connection is `retry unavailable` (section 2), not `timeout`: the call goes
    /// to a loopback port nothing listens on.
    func testARefusedConnectionIsUnavailableNotTimeout() throws {
        XCTAssertEqual(try leadrelay(["new", "leadpond"]).status, 0)
        let closed = LoopbackHTTPServer { _ in LoopbackResponse(status: 500, text: "") }
        try closed.start()
        let url = closed.url("")
        closed.stop()
        try dir.write("params.json", #"{ "base_url": "\#(url)", "api_key": "lp-test-key" }"#)
        try dir.write("lead.json", #"{ "id": "L-1", "first_name": "Anna", "phone": "+4915112345678" }"#)
        let run = try leadrelay(["run", "leadpond", "--lead", "lead.json", "--params", "params.json"])
        XCTAssertEqual(run.status, 0, run.description)
        let output = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.description)
        XCTAssertEqual(output["outcome"] as? String, "retry", run.description)
        XCTAssertEqual(output["reason"] as? String, "unavailable", run.description)
    }

    /// luacheck (Debian `lua-check`), when installed, finds nothing in the scaffold.
    func testTheScriptIsLuacheckClean() throws {
        let luacheck = ["/usr/bin/luacheck", "/usr/local/bin/luacheck"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let luacheck else { throw XCTSkip("luacheck is not installed") }
        XCTAssertEqual(try leadrelay(["new", "leadpond"]).status, 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: luacheck)
        process.arguments = [
            "--no-config", "--std", "lua54", "--read-globals", "json", "http", "log", "crypto", "time", "cache", "fields",
            "--", dir.path + "/integrations/leadpond.lua",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, printed)
    }

    /// Without the shared libraries the scaffold needs, `new` writes nothing and says what to copy.
    func testNewRefusesADirectoryWithoutTheLibraries() throws {
        let new = try leadrelay(["new", "leadpond", "--integrations", "bare"])
        XCTAssertEqual(new.status, 64, new.description)
        XCTAssertTrue(new.stderr.contains("bare/lib/outcome.lua"), new.description)
        XCTAssertFalse(dir.exists("bare/leadpond.lua"))
        XCTAssertFalse(dir.exists("Tests/ScriptFixtures/leadpond"))
    }

    func testNewRefusesToOverwriteAScript() throws {
        try dir.write("integrations/leadpond.lua", "-- mine\n")
        let new = try leadrelay(["new", "leadpond"])
        XCTAssertEqual(new.status, 64, new.description)
        XCTAssertTrue(new.stderr.contains("integrations/leadpond.lua exists already"), new.description)
        XCTAssertEqual(try String(contentsOfFile: dir.path + "/integrations/leadpond.lua", encoding: .utf8), "-- mine\n")
        XCTAssertFalse(dir.exists("Tests/ScriptFixtures/leadpond"))
    }

    func testNewRefusesABadName() throws {
        for name in ["Lead-Pond", "lead pond", "../escape", ""] {
            let new = try leadrelay(["new", name])
            XCTAssertEqual(new.status, 64, "\(name): \(new.description)")
            XCTAssertTrue(new.stderr.contains("[a-z0-9_]+"), "\(name): \(new.description)")
        }
        XCTAssertFalse(dir.exists("integrations/leadpond.lua"))
    }
}
