import Foundation
import Host
import IntegrationRuntime
import XCTest

final class IntegrationDirectoryTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "leadrelay-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/lib", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func write(_ name: String, _ code: String) throws {
        try code.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }

    static func script(version: String) -> String {
        TestScripts.script(
            extra: "local tag = require('lib.tag')",
            prepare: "return { url = ctx.params.base_url .. '/leads', json = { id = lead.id } }",
            parse: "return { outcome = 'accepted', external_id = tag('\(version)') }")
    }

    func external(_ directory: IntegrationDirectory) async -> String? {
        await directory.pool("demo")?.run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)).outcome?.externalID
    }

    /// A directory's pools honour each script's `limits.rate` like `IntegrationPool.rateLimited`
    /// (failed before: the directory built its pools on the bare transport, no limiter).
    func testPoolsHonourTheScriptsRateLimitAndAReloadChangesIt() throws {
        try write("lib/tag.lua", "return function(v) return v end")
        let limited = { (rate: String) in
            TestScripts.script(
                extra: "M.limits = { rate = \(rate) }",
                prepare: "return { url = ctx.params.base_url .. '/leads' }",
                parse: "return { outcome = 'accepted', external_id = '1' }")
        }
        try write("demo.lua", limited("'2/1h'"))
        let directory = try IntegrationDirectory(path: dir, transport: DelayedTransport(delay: 0))
        defer { directory.shutdown() }
        XCTAssertEqual(try directory.rescan(), [.added("demo")])
        let limiter = try XCTUnwrap(directory.pool("demo")?.rateLimiter, "the pool has no rate limiter")
        XCTAssertEqual(limiter.limit, RateLimit("2/1h"))
        XCTAssertEqual(limiter.scope, .all)

        try write("demo.lua", limited("{ limit = '5/3s', methods = { 'GET' }, per = 'credential' }"))
        XCTAssertEqual(try directory.rescan(), [.reloaded("demo")])
        XCTAssertEqual(limiter.limit, RateLimit("5/3s"))
        XCTAssertNotEqual(limiter.scope, .all)
    }

    func testChangedScriptsSwapInAndBrokenOnesKeepTheOldVersion() async throws {
        try write("lib/tag.lua", "return function(v) return 'v' .. v end")
        try write("demo.lua", Self.script(version: "1"))
        let directory = try IntegrationDirectory(path: dir, transport: DelayedTransport(delay: 0))
        defer { directory.shutdown() }
        XCTAssertEqual(try directory.rescan(), [.added("demo")])
        var id = await external(directory)
        XCTAssertEqual(id, "v1")
        XCTAssertEqual(try directory.rescan(), [], "nothing changed, nothing reloaded")

        try write("demo.lua", Self.script(version: "2"))
        XCTAssertEqual(try directory.rescan(), [.reloaded("demo")])
        id = await external(directory)
        XCTAssertEqual(id, "v2")

        try write("demo.lua", Self.script(version: "3").replacingOccurrences(of: "function M.prepare", with: "function M.prepare("))
        let changes = try directory.rescan()
        guard case .failed("demo", let error)? = changes.first else { return XCTFail("\(changes)") }
        XCTAssertEqual(error.file, dir + "/demo.lua")
        XCTAssertNotNil(error.line, error.description)
        id = await external(directory)
        XCTAssertEqual(id, "v2", "the broken version must not replace the serving one")
        XCTAssertEqual(try directory.rescan(), [], "an unchanged broken file is reported once")

        try write("lib/tag.lua", "return function(v) return 'lib2-' .. v end")
        try write("demo.lua", Self.script(version: "4"))
        XCTAssertEqual(try directory.rescan(), [.reloaded("demo")])
        id = await external(directory)
        XCTAssertEqual(id, "lib2-4")

        try FileManager.default.removeItem(atPath: dir + "/demo.lua")
        XCTAssertEqual(try directory.rescan(), [.missing("demo")])
        XCTAssertEqual(try directory.rescan(), [], "a missing file is reported once")
        id = await external(directory)
        XCTAssertEqual(id, "lib2-4")
    }

    func testWatchReportsChangesAsTheyHappen() async throws {
        try write("lib/tag.lua", "return function(v) return 'v' .. v end")
        try write("demo.lua", Self.script(version: "1"))
        let directory = try IntegrationDirectory(path: dir, transport: DelayedTransport(delay: 0))
        defer { directory.shutdown() }
        let reports = AsyncStream<String>.makeStream()
        let task = directory.watch(every: .milliseconds(20)) { result in
            switch result {
            case .success(let changes): for c in changes { reports.continuation.yield(c.description) }
            case .failure(let error): reports.continuation.yield("scan failed: \(error)")
            }
        }
        defer { task.cancel() }
        var iterator = reports.stream.makeAsyncIterator()
        let first = await iterator.next()
        XCTAssertEqual(first, "demo: loaded")
        try write("demo.lua", Self.script(version: "2"))
        let second = await iterator.next()
        XCTAssertEqual(second, "demo: reloaded")
        let id = await external(directory)
        XCTAssertEqual(id, "v2")
        try write("demo.lua", "return {")
        let third = await iterator.next()
        XCTAssertTrue(third?.hasPrefix("demo: not loaded:") ?? false, third ?? "nil")
    }

    func testMissingDirectoryIsAClearError() {
        XCTAssertThrowsError(try IntegrationDirectory(path: dir + "/nope", transport: DelayedTransport(delay: 0))) { error in
            XCTAssertTrue("\(error)".contains("no such directory"), "\(error)")
        }
    }
}
