import Foundation
import LeadJSON
import XCTest

@testable import IntegrationRuntime

/// The fixture format has three descriptions that must agree: the loader's key sets,
/// docs/fixture.schema.json and docs/script-contract.md. And the docs a script writer reads
/// point nowhere outside the repository.
final class FixtureFormatDocsTests: XCTestCase {
    static let root = FixtureSchemaTests.root

    func text(_ path: String) throws -> String {
        String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: Self.root + "/" + path)), as: UTF8.self)
    }

    func testTheSchemaNamesExactlyTheLoadersKeys() throws {
        let schema = try JSONValue.parse(Array(try text("docs/fixture.schema.json").utf8))
        func keys(_ node: JSONValue?) -> Set<String> { Set(node?["properties"]?.objectValue?.keys ?? [:].keys) }
        let defs = schema["$defs"]
        XCTAssertEqual(keys(schema), FixtureLoader.topKeys)
        XCTAssertEqual(keys(defs?["lead"]), FixtureLoader.leadKeys)
        XCTAssertEqual(keys(defs?["statusLead"]), FixtureLoader.statusLeadKeys)
        XCTAssertEqual(keys(defs?["inbound"]), FixtureLoader.inboundKeys)
        XCTAssertEqual(keys(defs?["expect"]), FixtureLoader.expectKeys)
        XCTAssertEqual(keys(defs?["update"]), FixtureLoader.updateKeys)
        XCTAssertEqual(keys(defs?["request"]), FixtureLoader.requestKeys)
        let response = (defs?["response"]?["oneOf"]?.arrayValue ?? []).reduce(into: Set<String>()) { $0.formUnion(keys($1)) }
        XCTAssertEqual(response, FixtureLoader.responseKeys)
        XCTAssertEqual(keys(schema["properties"]?["offer"]), FixtureLoader.offerKeys)
    }

    func testTheContractPageNamesEveryKey() throws {
        let page = try text("docs/script-contract.md")
        let all = FixtureLoader.topKeys.union(FixtureLoader.leadKeys).union(FixtureLoader.statusLeadKeys)
            .union(FixtureLoader.inboundKeys).union(FixtureLoader.expectKeys).union(FixtureLoader.updateKeys)
            .union(FixtureLoader.requestKeys).union(FixtureLoader.responseKeys).union(FixtureLoader.offerKeys)
        for key in all.sorted() {
            XCTAssertTrue(page.contains("`\(key)`"), "docs/script-contract.md does not name `\(key)`")
        }
        for word in Outcome.Reason.allCases.map(\.rawValue) + StatusUpdate.Stage.allCases.map(\.rawValue) + Action.allCases.map(\.rawValue)
        {
            XCTAssertTrue(page.contains("`\(word)`"), "docs/script-contract.md does not name `\(word)`")
        }
    }

    func testTheScriptWritersDocsStayInTheRepository() throws {
        for path in ["docs/writing-integrations.md", "docs/script-contract.md"] {
            let page = try text(path)
            for outside in ["contract section", "../shared", "SCRIPT-CONTRACT", "shared/design"] {
                XCTAssertFalse(page.contains(outside), "\(path) points outside the repository: \(outside)")
            }
        }
    }
}
