import Foundation
import Host
import IntegrationRuntime
import XCTest

/// Fixture files as text, to break one field at a time in loader tests.
enum FixtureText {
    /// A valid push case's fields, as JSON members, to break one at a time.
    static let push: [String: String] = [
        "description": #""d""#, "action": #""push""#, "params": #"{ "base_url": "https://crm.example" }"#,
        "lead": #"{ "id": "L-1" }"#,
        "exchanges": #"[ { "request": { "method": "POST", "url": "https://crm.example/leads" }, "response": { "status": 200 } } ]"#,
        "expect": #"{ "outcome": "accepted" }"#,
    ]

    /// `fields` as one JSON object (members in a stable order).
    static func object(_ fields: [String: String]) -> String {
        "{ " + fields.keys.sorted().map { "\"\($0)\": \(fields[$0]!)" }.joined(separator: ", ") + " }"
    }

    /// `base` with `changes` applied (`nil` removes the field).
    static func with(_ changes: [String: String?], base: [String: String] = FixtureText.push) -> String {
        var fields = base
        for (key, value) in changes { fields[key] = value }
        return object(fields)
    }
}

extension XCTestCase {
    /// Asserts `json` does not load and its error names the file and contains every one of
    /// `mentions` (the field, and what it should be).
    func assertLoadError(_ json: String, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        do {
            let fixture = try FixtureLoaderTests.load(json)
            XCTFail("loaded a bad fixture (\(fixture.description)): \(json)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.file, FixtureLoaderTests.file, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(FixtureLoaderTests.file), error.description, file: file, line: line)
            for m in mentions {
                XCTAssertTrue(
                    error.message.contains(m), "\(error.message.debugDescription) does not mention \(m.debugDescription)",
                    file: file, line: line)
            }
        }
    }
}
