import Foundation
import XCTest

/// Issue 13, point 7: `leadrelay check --watch` re-runs the cases a save affects, one clear
/// line per run, and Ctrl-C (SIGINT) ends it with exit status 0.
final class CheckWatchProcessTests: XCTestCase {
    func testTouchingAFixtureReRunsThatFixtureAndCtrlCExitsZero() throws {
        let dir = try TemporaryDirectory()
        try dir.write("integrations/demo.lua", CheckCommandProcessTests.script)
        try dir.write("fixtures/demo/push-accepted.json", CheckCommandProcessTests.fixture())
        let duplicate = try dir.write(
            "fixtures/demo/push-duplicate.json",
            CheckCommandProcessTests.fixture(status: 409, expect: #"{ "outcome": "rejected", "reason": "duplicate" }"#))
        let out = dir.path + "/.watch-stdout"
        FileManager.default.createFile(atPath: out, contents: nil)
        let process = Process()
        process.executableURL = try LeadRelayProcess.binary()
        process.arguments = ["check", "--watch", "--integrations", "integrations", "--fixtures", "fixtures"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        func output() -> String { String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self) }
        func waitFor(_ text: String) -> Bool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if output().contains(text) { return true }
                if !process.isRunning { return false }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        XCTAssertTrue(waitFor("watching integrations and fixtures"), output())
        XCTAssertTrue(output().contains("checked everything: re-ran 2 case(s): 2 passed, 0 failed"), output())
        // A save: a later modification time (a second on, whatever the file system's resolution).
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(2)], ofItemAtPath: duplicate)
        XCTAssertTrue(waitFor("push-duplicate.json changed: re-ran 1 case(s): 1 passed, 0 failed, 0 load error(s)"), output())
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output())
        XCTAssertEqual(process.terminationReason, .exit, output())
    }
}
