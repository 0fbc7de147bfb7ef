import Foundation
import LeadJSON
import SchemaTesting
import XCTest

@testable import LeadRelayService

/// docs/openapi.json itself: every route the server registers is in it and every operation
/// in it is registered, every `$ref` resolves, every schema keeps to the rules the tests'
/// validator checks, and the copy the service serves is the file.
final class OpenAPIDocumentTests: XCTestCase {
    let spec = try! OpenAPISpec.load()

    func testTheDocumentIsOpenAPI31() {
        XCTAssertEqual(spec.document["openapi"], .string("3.1.0"))
        XCTAssertFalse(spec.operations.isEmpty)
    }

    func testEveryRegisteredRouteIsDocumentedAndEveryDocumentedOneRegistered() throws {
        let temporary = try TemporaryDirectory("openapi-routes")
        defer { temporary.remove() }
        let parts = LeadRelayServer.Parts(store: try temporary.sealedStore(), dispatcher: nil, integrations: { 1 })
        let registered = Set(LeadRelayServer.registeredOperations(.init(), parts: parts))
        let documented = Set(spec.operations)
        XCTAssertEqual(registered.subtracting(documented).sorted(), [], "registered but not in docs/openapi.json")
        XCTAssertEqual(documented.subtracting(registered).sorted(), [], "documented but not registered")
    }

    func testEveryReferenceResolves() {
        var references: [String] = []
        Self.walk(spec.document) { key, value in
            if key == "$ref", let text = value.stringValue { references.append(text) }
        }
        XCTAssertGreaterThan(references.count, 100)
        for reference in references { XCTAssertNotNil(spec.validator.resolve(reference), reference) }
    }

    func testEverySchemaUsesOnlyWhatTheValidatorChecks() {
        var schemas: [(String, JSONValue)] = (spec.document["components"]?["schemas"]?.objectValue ?? [:]).map {
            ("#/components/schemas/\($0.key)", $0.value)
        }
        Self.walk(spec.document) { key, value in if key == "schema" { schemas.append(("a schema", value)) } }
        var unknown: [String] = []
        while let (path, schema) = schemas.popLast() {
            guard let rules = schema.objectValue else { continue }
            for keyword in rules.keys
            where !SchemaValidator.assertions.contains(keyword) && !SchemaValidator.annotations.contains(keyword) {
                unknown.append("\(path): \(keyword)")
            }
            for (name, sub) in rules["properties"]?.objectValue ?? [:] { schemas.append(("\(path).\(name)", sub)) }
            for name in ["items", "additionalProperties"] { if let sub = rules[name] { schemas.append(("\(path)/\(name)", sub)) } }
            for name in ["allOf", "anyOf", "oneOf"] {
                for sub in rules[name]?.arrayValue ?? [] { schemas.append(("\(path)/\(name)", sub)) }
            }
        }
        XCTAssertEqual(unknown, [])
    }

    func testEveryErrorAnswerHasTheErrorShape() {
        let answers = (spec.document["components"]?["schemas"]?.objectValue ?? [:]).filter { $0.key.hasSuffix("Error") }
        XCTAssertGreaterThan(answers.count, 10)
        for (name, schema) in answers {
            XCTAssertEqual(schema["required"], .array([.string("error"), .string("request_id")]), name)
            XCTAssertEqual(schema["additionalProperties"], .bool(false), name)
            let code = schema["properties"]?["error"]?["properties"]?["code"]
            XCTAssertNotNil(code?["enum"]?.arrayValue, "\(name): the codes are a closed set (an enum)")
        }
    }

    func testTheServedCopyIsTheFile() throws {
        let file = try String(contentsOfFile: OpenAPISpec.path, encoding: .utf8)
        XCTAssertEqual(
            OpenAPIDocument.text.trimmingCharacters(in: .whitespacesAndNewlines), file.trimmingCharacters(in: .whitespacesAndNewlines),
            "docs/openapi.json changed: run `make openapi` to embed it again")
    }

    /// Calls `visit` with every key and value of every object in `value`, depth first.
    static func walk(_ value: JSONValue, _ visit: (String, JSONValue) -> Void) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                visit(key, member)
                walk(member, visit)
            }
        case .array(let items): for item in items { walk(item, visit) }
        default: break
        }
    }
}
