import Foundation
import XCTest

/// `leadrelay sandbox` (its help and option checks only: serving is
/// EmulatorTests' part) and the top-level command, as subprocesses (`new`: ScaffoldProcessTests).
final class CommandsProcessTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    override func tearDown() { dir = nil }

    func leadrelay(_ arguments: [String]) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(arguments, in: dir.path)
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
