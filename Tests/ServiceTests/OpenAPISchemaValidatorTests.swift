import LeadJSON
import SchemaTesting
import XCTest

/// The test support's JSON Schema validator (`SchemaValidator`) refuses what it must: each
/// rule the document uses is shown failing on a wrong instance, next to a right one.
final class OpenAPISchemaValidatorTests: XCTestCase {
    /// A document with one answer schema in the shape docs/openapi.json uses.
    let validator = SchemaValidator(
        document: try! JSONValue.parse(
            #"""
            {"components": {"schemas": {
              "State": {"type": "string", "enum": ["pending", "accepted"]},
              "Answer": {"type": "object", "additionalProperties": false, "required": ["id", "state", "request_id"],
                "properties": {"id": {"type": "string", "minLength": 1, "maxLength": 8}, "state": {"$ref": "#/components/schemas/State"},
                  "count": {"type": "integer", "minimum": 0, "maximum": 10}, "note": {"type": ["string", "null"]},
                  "day": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}, "ok": {"type": "boolean", "const": true},
                  "tags": {"type": "array", "items": {"type": "string"}}, "request_id": {"type": "string"}}},
              "Either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
              "Some": {"anyOf": [{"required": ["email"]}, {"required": ["phone"]}]},
              "Both": {"allOf": [{"required": ["a"]}, {"required": ["b"]}]},
              "Money": {"type": "object", "additionalProperties": {"type": "string"}}
            }}}
            """#))

    func check(_ instance: String, _ schema: String) -> [String] {
        validator.problems(try! JSONValue.parse(instance), against: .object(["$ref": .string("#/components/schemas/\(schema)")]))
    }

    func testAFittingAnswerHasNoProblem() {
        XCTAssertEqual(
            check(
                #"{"id": "L1", "state": "pending", "count": 3, "note": null, "day": "2026-12-07", "ok": true, "tags": ["a"], "request_id": "r"}"#,
                "Answer"), [])
        XCTAssertEqual(check(#"{"id": "L1", "state": "accepted", "count": 3.0, "note": "x", "request_id": "r"}"#, "Answer"), [])
    }

    func testAMissingRequiredKeyIsRefused() {
        XCTAssertEqual(check(#"{"id": "L1", "request_id": "r"}"#, "Answer"), [#"$: the required key "state" is missing"#])
    }

    func testAStrayKeyIsRefused() {
        XCTAssertEqual(
            check(#"{"id": "L1", "state": "pending", "request_id": "r", "route": 4}"#, "Answer"),
            [#"$: the key "route" is not in the schema (additionalProperties: false)"#])
    }

    func testAWrongTypeIsRefused() {
        let cases = [
            (#"{"id": 5, "state": "pending", "request_id": "r"}"#, "$.id: 5 is not of type string"),
            (#"{"id": "L1", "state": "pending", "count": 2.5, "request_id": "r"}"#, "$.count: 2.5 is not of type integer"),
            (#"{"id": "L1", "state": "pending", "note": 1, "request_id": "r"}"#, "$.note: 1 is not of type string or null"),
            (#"{"id": "L1", "state": "pending", "tags": ["a", 2], "request_id": "r"}"#, "$.tags[1]: 2 is not of type string"),
            (#"["L1"]"#, #"$: ["L1"] is not of type object"#),
        ]
        for (instance, problem) in cases { XCTAssertEqual(check(instance, "Answer"), [problem], instance) }
    }

    func testABadEnumOrConstIsRefused() {
        XCTAssertEqual(
            check(#"{"id": "L1", "state": "sent", "request_id": "r"}"#, "Answer"),
            [#"$.state: "sent" is not one of ["pending","accepted"]"#])
        XCTAssertEqual(check(#"{"id": "L1", "state": "pending", "ok": false, "request_id": "r"}"#, "Answer"), ["$.ok: false is not true"])
    }

    func testBoundsLengthsAndPatternsAreChecked() {
        let cases = [
            (#"{"id": "", "state": "pending", "request_id": "r"}"#, #"$.id: "" is shorter than 1"#),
            (#"{"id": "123456789", "state": "pending", "request_id": "r"}"#, "$.id: a text of 9 characters is longer than 8"),
            (#"{"id": "L1", "state": "pending", "count": -1, "request_id": "r"}"#, "$.count: -1.0 is below 0.0"),
            (#"{"id": "L1", "state": "pending", "count": 11, "request_id": "r"}"#, "$.count: 11.0 is above 10.0"),
            (
                #"{"id": "L1", "state": "pending", "day": "7.12.2026", "request_id": "r"}"#,
                #"$.day: "7.12.2026" does not match ^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#
            ),
        ]
        for (instance, problem) in cases { XCTAssertEqual(check(instance, "Answer"), [problem], instance) }
    }

    func testCompositionsAreChecked() {
        XCTAssertEqual(check(#""x""#, "Either"), [])
        XCTAssertEqual(check("true", "Either").count, 1, "oneOf: none fits")
        XCTAssertEqual(check(#"{"phone": "1"}"#, "Some"), [])
        XCTAssertEqual(check(#"{"name": "Anna"}"#, "Some").count, 1, "anyOf: none fits")
        XCTAssertEqual(check(#"{"a": 1, "b": 2}"#, "Both"), [])
        XCTAssertEqual(check(#"{"a": 1}"#, "Both"), [#"$: the required key "b" is missing"#])
        XCTAssertEqual(check(#"{"EUR": 25}"#, "Money"), ["$.EUR: 25 is not of type string"])
        let overlapping = SchemaValidator(document: .object([:]))
        let both = JSONValue.object(["oneOf": .array([.object(["type": .string("number")]), .object(["type": .string("integer")])])])
        XCTAssertEqual(overlapping.problems(.integer(1), against: both).count, 1, "oneOf: 1 fits both, which is not exactly one")
    }

    func testAnUnknownKeywordOrADanglingRefIsAProblem() {
        let loose = SchemaValidator(document: .object([:]))
        XCTAssertEqual(
            loose.problems(.string("a"), against: .object(["type": .string("string"), "format": .string("email")])),
            [#"$: the schema uses "format", which this validator does not know"#])
        XCTAssertEqual(
            loose.problems(.string("a"), against: .object(["$ref": .string("#/components/schemas/Nope")])),
            ["$: $ref #/components/schemas/Nope does not resolve"])
    }
}
