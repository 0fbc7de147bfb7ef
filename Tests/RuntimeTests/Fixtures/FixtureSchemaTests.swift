import Foundation
import IntegrationRuntime
import LeadJSON
import SchemaTesting
import XCTest

/// docs/fixture.schema.json, the fixture format for editors: every shipped fixture fits it,
/// and the mistakes the loader refuses (unknown keys at any level, wrong words) break it too.
final class FixtureSchemaTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    func schema() throws -> SchemaValidator {
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: Self.root + "/docs/fixture.schema.json"))
        return SchemaValidator(document: try JSONValue.parse(Array(bytes)))
    }

    func problems(_ json: String) throws -> [String] {
        let validator = try schema()
        return validator.problems(try JSONValue.parse(Array(json.utf8)), against: validator.document)
    }

    func testEveryShippedFixtureFitsTheSchema() throws {
        let validator = try schema()
        let fixtures = Self.root + "/Tests/ScriptFixtures"
        let fm = FileManager.default
        var count = 0
        for integration in try fm.contentsOfDirectory(atPath: fixtures).sorted() {
            for name in try fm.contentsOfDirectory(atPath: fixtures + "/" + integration).sorted() where name.hasSuffix(".json") {
                let path = "\(fixtures)/\(integration)/\(name)"
                let value = try JSONValue.parse(Array(try XCTUnwrap(fm.contents(atPath: path))))
                XCTAssertEqual(validator.problems(value, against: validator.document), [], path)
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 100)
    }

    func testTheBaseCaseFitsAndMayNameTheSchema() throws {
        XCTAssertEqual(try problems(FixtureText.object(FixtureText.push)), [])
        XCTAssertEqual(try problems(FixtureText.with(["$schema": #""../../../docs/fixture.schema.json""#])), [])
    }

    func testTheSchemaRefusesWhatTheLoaderRefuses() throws {
        let bad: [(String, String)] = [
            (FixtureText.with(["expect": #"{ "outcome": "accepted", "externalid": "L1" }"#]), "$.expect: the key \"externalid\""),
            (FixtureText.with(["expect": #"{ "outcome": "accept" }"#]), "$.expect.outcome"),
            (FixtureText.with(["lead": #"{ "id": "L-1", "firstname": "Anna" }"#]), "$.lead: the key \"firstname\""),
            (FixtureText.with(["exchange": "[]"]), "$: the key \"exchange\""),
            (
                FixtureText.with(["exchanges": #"[ { "request": { "url": "https://x.example" }, "response": { "staus": 400 } } ]"#]),
                "$.exchanges[0].response"
            ),
            (
                FixtureText.with(["exchanges": #"[ { "request": { "url": "https://x.example" }, "response": { "error": "timout" } } ]"#]),
                "$.exchanges[0].response"
            ),
            (FixtureText.with(["exchanges": #"[ { "request": { "heders": {} }, "response": {} } ]"#]), "$.exchanges[0].request"),
            (FixtureText.with(["action": #""send""#]), "$.action"),
            (FixtureText.with(["expect": nil]), "\"expect\" is missing"),
        ]
        for (json, mention) in bad {
            let found = try problems(json)
            XCTAssertTrue(found.contains { $0.contains(mention) }, "\(mention) not in \(found) for \(json)")
            XCTAssertThrowsError(try FixtureLoaderTests.load(json), json)
        }
    }
}
