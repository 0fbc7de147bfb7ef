import Foundation
import LeadJSON

/// Test support, shared by the test targets (never linked into what ships). A JSON Schema (2020-12) validator for the subset docs/openapi.json uses: `type` (a name or
/// a list, `null` included), `properties`, `required`, `additionalProperties` (false or a
/// schema), `items`, `enum`, `const`, `oneOf`, `anyOf`, `allOf`, `$ref` (a JSON pointer into
/// `document`), `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`; `description` and
/// `title` are annotations. Any other keyword is reported as a problem, so the document
/// cannot use a rule these tests would silently skip.
///
///     let problems = SchemaValidator(document: spec).problems(body, against: .object(["$ref": "#/components/schemas/Lead"]))
public struct SchemaValidator: Sendable {
    public let document: JSONValue

    public init(document: JSONValue) { self.document = document }

    public static let assertions: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "oneOf", "anyOf", "allOf", "$ref",
        "minimum", "maximum", "minLength", "maxLength", "pattern",
    ]
    /// Keywords that only describe (a root's `$schema`, `$id` and `$defs` included:
    /// docs/fixture.schema.json carries them).
    public static let annotations: Set<String> = ["description", "title", "$schema", "$id", "$defs"]

    /// Every way `instance` breaks `schema`, each as `<where in the instance>: <what>`; empty
    /// when it fits.
    public func problems(_ instance: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard let rules = schema.objectValue else {
            if schema.boolValue == true { return [] }
            return schema.boolValue == false ? ["\(path): no value is allowed here"] : ["\(path): the schema is not an object"]
        }
        var found: [String] = []
        for keyword in rules.keys.sorted() where !Self.assertions.contains(keyword) && !Self.annotations.contains(keyword) {
            found.append("\(path): the schema uses \"\(keyword)\", which this validator does not know")
        }
        if let reference = rules["$ref"]?.stringValue {
            guard let target = resolve(reference) else { return found + ["\(path): $ref \(reference) does not resolve"] }
            found += problems(instance, against: target, at: path)
        }
        if let type = rules["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            if !names.contains(where: { Self.has(instance, type: $0) }) {
                return found + ["\(path): \(Self.describe(instance)) is not of type \(names.joined(separator: " or "))"]
            }
        }
        found += enumerated(instance, rules, at: path)
        found += composed(instance, rules, at: path)
        found += bounded(instance, rules, at: path)
        if case .object(let members) = instance { found += object(members, rules, at: path) }
        if case .array(let items) = instance, let schema = rules["items"] {
            for (index, item) in items.enumerated() { found += problems(item, against: schema, at: "\(path)[\(index)]") }
        }
        return found
    }

    /// The value `reference` (`#/components/schemas/Lead`) points at in the document.
    public func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    private func enumerated(_ instance: JSONValue, _ rules: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        if let options = rules["enum"]?.arrayValue, !options.contains(where: { Self.same($0, instance) }) {
            found.append("\(path): \(Self.describe(instance)) is not one of \(JSONValue.array(options).encoded())")
        }
        if let constant = rules["const"], !Self.same(constant, instance) {
            found.append("\(path): \(Self.describe(instance)) is not \(constant.encoded())")
        }
        return found
    }

    private func composed(_ instance: JSONValue, _ rules: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        for schema in rules["allOf"]?.arrayValue ?? [] { found += problems(instance, against: schema, at: path) }
        if let options = rules["anyOf"]?.arrayValue {
            let each = options.map { problems(instance, against: $0, at: path) }
            if !each.contains(where: \.isEmpty) {
                found.append("\(path): fits none of anyOf (\(each.map { $0.joined(separator: "; ") }.joined(separator: " | ")))")
            }
        }
        if let options = rules["oneOf"]?.arrayValue {
            let each = options.map { problems(instance, against: $0, at: path) }
            let fitting = each.filter(\.isEmpty).count
            if fitting != 1 {
                let why = fitting == 0 ? each.map { $0.joined(separator: "; ") }.joined(separator: " | ") : "\(fitting) fit"
                found.append("\(path): fits \(fitting) of oneOf, not exactly 1 (\(why))")
            }
        }
        return found
    }

    private func bounded(_ instance: JSONValue, _ rules: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        if let number = instance.doubleValue, instance.boolValue == nil {
            if let minimum = rules["minimum"]?.doubleValue, number < minimum { found.append("\(path): \(number) is below \(minimum)") }
            if let maximum = rules["maximum"]?.doubleValue, number > maximum { found.append("\(path): \(number) is above \(maximum)") }
        }
        if case .string(let text) = instance {
            let length = text.unicodeScalars.count
            if let minimum = rules["minLength"]?.int64Value, length < minimum {
                found.append("\(path): \(text.debugDescription) is shorter than \(minimum)")
            }
            if let maximum = rules["maxLength"]?.int64Value, length > maximum {
                found.append("\(path): a text of \(length) characters is longer than \(maximum)")
            }
            if let pattern = rules["pattern"]?.stringValue {
                if let regex = try? NSRegularExpression(pattern: pattern) {
                    if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                        found.append("\(path): \(text.debugDescription) does not match \(pattern)")
                    }
                } else {
                    found.append("\(path): the pattern \(pattern) does not compile")
                }
            }
        }
        return found
    }

    private func object(_ members: [String: JSONValue], _ rules: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        let properties = rules["properties"]?.objectValue ?? [:]
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            found.append("\(path): the required key \"\(name)\" is missing")
        }
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            if let schema = properties[name] {
                found += problems(value, against: schema, at: "\(path).\(name)")
            } else if let additional = rules["additionalProperties"] {
                if additional.boolValue == false {
                    found.append("\(path): the key \"\(name)\" is not in the schema (additionalProperties: false)")
                } else {
                    found += problems(value, against: additional, at: "\(path).\(name)")
                }
            }
        }
        return found
    }

    /// Whether `value` is of the JSON Schema type `name`; an integral number is an integer.
    static func has(_ value: JSONValue, type name: String) -> Bool {
        switch (name, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): return true
        case ("integer", .integer), ("number", .integer), ("number", .number): return true
        case ("integer", .number(let number)): return number.rounded() == number && number.isFinite
        default: return false
        }
    }

    /// Equality as JSON Schema means it: 1 and 1.0 are the same number.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.integer, .number), (.number, .integer): return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func describe(_ value: JSONValue) -> String {
        let text = value.encoded()
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
