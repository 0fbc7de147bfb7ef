import Foundation
import IntegrationRuntime
import XCTest

/// Issue 13, point 7: which cases `check --watch` re-runs for a change, and how a change is seen.
final class CheckWatchTests: XCTestCase {
    func testAScriptRunsItsFixturesAFixtureItselfALibraryEverything() {
        let fixture = "f/irev/push.json"
        XCTAssertEqual(CheckWatch.affected(by: [fixture], integrations: "i", fixtures: "f"), .some(["irev": Set([fixture])]))
        XCTAssertEqual(
            CheckWatch.affected(by: [fixture, "i/irev.lua"], integrations: "i", fixtures: "f"), .some(["irev": Set<String>?.none]))
        XCTAssertEqual(
            CheckWatch.affected(by: ["f/demo/a.json", "i/lib/lead.lua"], integrations: "i", fixtures: "f"), .all)
    }

    func testAChangedModificationTimeIsAChange() throws {
        let root = NSTemporaryDirectory() + "leadrelay-watch-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/f/demo", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/i/lib", withIntermediateDirectories: true)
        try "return {}".write(toFile: root + "/i/demo.lua", atomically: true, encoding: .utf8)
        try "{}".write(toFile: root + "/f/demo/a.json", atomically: true, encoding: .utf8)
        let before = CheckWatch.scan(integrations: root + "/i", fixtures: root + "/f")
        XCTAssertEqual(before.files.count, 2)
        XCTAssertEqual(CheckWatch.scan(integrations: root + "/i", fixtures: root + "/f").changes(since: before), [])
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: root + "/f/demo/a.json")
        try "return {}".write(toFile: root + "/i/lib/x.lua", atomically: true, encoding: .utf8)
        let after = CheckWatch.scan(integrations: root + "/i", fixtures: root + "/f")
        XCTAssertEqual(after.changes(since: before), [root + "/f/demo/a.json", root + "/i/lib/x.lua"])
    }
}
