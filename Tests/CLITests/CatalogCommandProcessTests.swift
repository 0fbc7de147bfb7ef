import Foundation
import XCTest

/// `leadrelay catalog` as a user runs it: prints the page, writes it, checks it, and
/// refuses a script whose header does not follow the convention (exit 2, naming the file).
final class CatalogCommandProcessTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/docs", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: LeadRelayProcess.root + "/integrations", toPath: directory + "/integrations")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testWriteThenCheckThenAChangedScriptIsOutOfDate() throws {
        let missing = try LeadRelayProcess.run(["catalog", "--check"], in: directory)
        XCTAssertEqual(missing.status, 1, missing.description)
        XCTAssertTrue(missing.stderr.contains("docs/catalog.md is missing"), missing.description)

        let written = try LeadRelayProcess.run(["catalog", "--write"], in: directory)
        XCTAssertEqual(written.status, 0, written.description)
        let page = try String(contentsOfFile: directory + "/docs/catalog.md", encoding: .utf8)
        XCTAssertEqual(page, try String(contentsOfFile: LeadRelayProcess.root + "/docs/catalog.md", encoding: .utf8))

        let printed = try LeadRelayProcess.run(["catalog"], in: directory)
        XCTAssertEqual(printed.status, 0, printed.description)
        XCTAssertEqual(printed.stdout, page)

        XCTAssertEqual(try LeadRelayProcess.run(["catalog", "--check"], in: directory).status, 0)
        let script = directory + "/integrations/irev.lua"
        let source = try String(contentsOfFile: script, encoding: .utf8)
        try source.replacingOccurrences(of: "batch = 100 }", with: "batch = 50 }").write(toFile: script, atomically: true, encoding: .utf8)
        let stale = try LeadRelayProcess.run(["catalog", "--check"], in: directory)
        XCTAssertEqual(stale.status, 1, stale.description)
        XCTAssertTrue(stale.stderr.contains("docs/catalog.md differs from the scripts"), stale.description)
    }

    func testAScriptWithoutADocumentLineIsALoadError() throws {
        let script = directory + "/integrations/trackbox.lua"
        let source = try String(contentsOfFile: script, encoding: .utf8)
        try source.replacingOccurrences(of: "\nDocument: ", with: "\nDoc: ").write(toFile: script, atomically: true, encoding: .utf8)
        let result = try LeadRelayProcess.run(["catalog"], in: directory)
        XCTAssertEqual(result.status, 2, result.description)
        XCTAssertTrue(
            result.stderr.contains("integrations/trackbox.lua:1: the header comment has no line starting \"Document:\""), result.description
        )
    }
}
