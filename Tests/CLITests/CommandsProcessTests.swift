import Foundation
import XCTest

/// `leadrelay new`, `leadrelay sandbox` (its help and option checks only: serving is
/// EmulatorTests' part) and the top-level command, as subprocesses.
final class CommandsProcessTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    override func tearDown() { dir = nil }

    func leadrelay(_ arguments: [String]) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(arguments, in: dir.path)
    }

    /// The scaffold is a script and a fixture that pass `check` as they are.
    func testNewScaffoldsAScriptThatPassesCheck() throws {
        let new = try leadrelay(["new", "leadpond", "--integrations", "scripts", "--fixtures", "cases"])
        XCTAssertEqual(new.status, 0, new.description)
        XCTAssertEqual(
            new.stdout, "created scripts/leadpond.lua\ncreated cases/leadpond/push-accepted.json\nnext: leadrelay check --only leadpond\n")
        XCTAssertTrue(dir.exists("scripts/leadpond.lua"))
        XCTAssertTrue(dir.exists("cases/leadpond/push-accepted.json"))
        let check = try leadrelay(["check", "--integrations", "scripts", "--fixtures", "cases", "--only", "leadpond"])
        XCTAssertEqual(check.status, 0, check.description)
        XCTAssertTrue(check.stdout.contains("1 case(s): 1 passed, 0 failed, 0 load error(s)"), check.description)
    }

    func testNewUsesTheDefaultDirectories() throws {
        let new = try leadrelay(["new", "leadpond"])
        XCTAssertEqual(new.status, 0, new.description)
        XCTAssertTrue(dir.exists("integrations/leadpond.lua"))
        XCTAssertTrue(dir.exists("Tests/ScriptFixtures/leadpond/push-accepted.json"))
        XCTAssertEqual(try leadrelay(["check"]).status, 0)
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
        XCTAssertFalse(dir.exists("integrations"))
    }

    func testSandboxHelp() throws {
        let help = try leadrelay(["sandbox", "--help"])
        XCTAssertEqual(help.status, 0, help.description)
        for option in ["--port", "--latency", "--fail-rate", "--token", "--postback-url"] {
            XCTAssertTrue(help.stdout.contains(option), "\(option) not in \(help.stdout)")
        }
    }

    /// Bad options are refused before anything listens.
    func testSandboxRefusesBadOptions() throws {
        let cases: [([String], String)] = [
            (["--port", "70000"], "--port"),
            (["--latency", "-1"], "--latency"),
            (["--fail-rate", "1.5"], "--fail-rate"),
            (["--token", "irev"], "NETWORK=VALUE"),
            (["--port", "0", "--token", "nosuch=abc"], "nosuch"),
        ]
        for (options, mention) in cases {
            let run = try leadrelay(["sandbox"] + options)
            XCTAssertEqual(run.status, 64, "\(options): \(run.description)")
            XCTAssertTrue(run.stderr.contains(mention), "\(options): \(run.description)")
            XCTAssertFalse(run.stdout.contains("LeadRelay sandbox on"), "\(options): \(run.description)")
        }
    }

    func testTopLevelHelpListsEveryCommand() throws {
        let help = try leadrelay(["--help"])
        XCTAssertEqual(help.status, 0, help.description)
        for command in ["check", "run", "new", "sandbox"] {
            XCTAssertTrue(help.stdout.contains("  \(command) "), "\(command) not in \(help.stdout)")
        }
        for command in ["check", "run", "new"] {
            let sub = try leadrelay([command, "--help"])
            XCTAssertEqual(sub.status, 0, sub.description)
            XCTAssertTrue(sub.stdout.contains("USAGE: leadrelay \(command)"), sub.description)
        }
        let check = try leadrelay(["check", "--help"])
        let words = check.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(
            words.contains("Exit status: 0 every fixture passes, 1 a fixture failed, 2 a script or fixture could not be loaded."),
            check.description)
    }

    func testAnUnknownCommandIsAUsageError() throws {
        let run = try leadrelay(["deliver"])
        XCTAssertEqual(run.status, 64, run.description)
        XCTAssertTrue(run.stderr.contains("deliver"), run.description)
    }
}
