import Foundation
import XCTest

/// luacheck with the repository's .luacheckrc (what `make lint` runs on integrations/):
/// a typo'd global is reported at the line and column where it is written, and a write to
/// a host global is refused. Skipped where luacheck is not installed (`make deps`
/// installs it: Debian package lua-check).
final class LuacheckProcessTests: XCTestCase {
    func luacheck(_ script: String) throws -> (status: Int32, output: String) {
        guard let binary = ["/usr/bin/luacheck", "/usr/local/bin/luacheck"].first(where: FileManager.default.isExecutableFile(atPath:))
        else {
            throw XCTSkip("luacheck is not installed (make deps installs the Debian package lua-check)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("luacheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("typo.lua")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--no-color", "--codes", "--config", LeadRelayProcess.root + "/.luacheckrc", file.path]
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }

    func testATypoedGlobalIsReportedWhereItIsWritten() throws {
        let result = try luacheck("local crypto = crypto\nlocal c = crpyto\nreturn crypto.md5(c)\n")
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("typo.lua:2:11: (W113) accessing undefined variable 'crpyto'"), result.output)
        XCTAssertFalse(result.output.contains(":1:"), "the host global crypto was flagged: \(result.output)")
    }

    func testWritingAHostGlobalIsReported() throws {
        let result = try luacheck("json = nil\nlocal cache = cache\ncache.get = nil\n")
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("typo.lua:1:1: (W121) setting read-only global variable 'json'"), result.output)
        XCTAssertTrue(result.output.contains("typo.lua:3:1"), result.output)
    }

    func testTheSandboxRemovedGlobalsAreUnknown() throws {
        let result = try luacheck("local f = io.open\nlocal g = os.getenv\nreturn f, g\n")
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("typo.lua:1:11: (W113) accessing undefined variable 'io'"), result.output)
        XCTAssertTrue(result.output.contains("typo.lua:2:11: (W143) accessing undefined field 'getenv' of global 'os'"), result.output)
    }
}
