import Foundation
import IntegrationRuntime
import XCTest

/// docs/catalog.md is what `leadrelay catalog --write` makes of the scripts in
/// integrations/: a script changed without the page fails here.
final class CatalogPageTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func page(of directory: String) throws -> String {
        CatalogPage.markdown(try CatalogEntry.all(in: try IntegrationCatalog.scan(directory), relativeTo: Self.root))
    }

    func testDocsCatalogIsUpToDateWithTheScripts() throws {
        let written = try String(contentsOfFile: Self.root + "/docs/catalog.md", encoding: .utf8)
        let expected = try page(of: Self.root + "/integrations")
        XCTAssertTrue(
            written == expected,
            "docs/catalog.md is out of date with integrations/: run `swift run leadrelay catalog --write`")
    }

    func testEveryBundledScriptIsOnThePageWithItsDocumentActionsAndSecrets() throws {
        let text = try page(of: Self.root + "/integrations")
        for name in ["altercpa", "clixnow", "irev", "trackbox"] {
            XCTAssertTrue(text.contains("\n## \(name)\n"), "no section for \(name)")
        }
        XCTAssertTrue(text.contains("IREV \"Lead Distribution Affiliate API v.2\""), text)
        XCTAssertTrue(text.contains("| `api_token` | yes | yes |  |"), "irev's api_token is not shown as required and secret")
        XCTAssertTrue(text.contains("rate 10/3s (GET requests, per credential)"), text)
        XCTAssertTrue(text.contains("`push`, `register`, `update`, `approved`, `status`, `postback`"), text)
    }

    /// The page follows the script: a changed param description changes it.
    func testAChangedScriptChangesThePage() throws {
        let fm = FileManager.default
        let copy = fm.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)").path
        try fm.copyItem(atPath: Self.root + "/integrations", toPath: copy)
        defer { try? fm.removeItem(atPath: copy) }
        let script = copy + "/clixnow.lua"
        let source = try String(contentsOfFile: script, encoding: .utf8)
        let changed = source.replacingOccurrences(of: "keyword sent when the lead's extra has none", with: "keyword sent always")
        XCTAssertNotEqual(changed, source, "the description to change is not in clixnow.lua any more")
        try changed.write(toFile: script, atomically: true, encoding: .utf8)
        let written = try String(contentsOfFile: Self.root + "/docs/catalog.md", encoding: .utf8)
        let text = CatalogPage.markdown(try CatalogEntry.all(in: try IntegrationCatalog.scan(copy)))
        XCTAssertNotEqual(text, written)
        XCTAssertTrue(text.contains("| `keyword` | no | no | `\"\"` | keyword sent always |"), text)
    }
}
