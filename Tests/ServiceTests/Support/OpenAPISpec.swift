import Foundation
import LeadJSON
import SchemaTesting

/// docs/openapi.json read for the tests: its operations, and whether an answer (status,
/// content type, headers, body) is one the document describes for an operation.
struct OpenAPISpec {
    let document: JSONValue
    let validator: SchemaValidator
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The repository's docs/openapi.json.
    static let path =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/docs/openapi.json"

    static func load() throws -> OpenAPISpec {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return OpenAPISpec(document: try JSONValue.parse(text))
    }

    init(document: JSONValue) {
        self.document = document
        validator = SchemaValidator(document: document)
    }

    /// Every documented operation as `METHOD /path/{parameter}`.
    var operations: [String] {
        (document["paths"]?.objectValue ?? [:]).flatMap { path, item in
            Self.methods.filter { item[$0] != nil }.map { "\($0.uppercased()) \(path)" }
        }.sorted()
    }

    func operation(_ key: String) -> JSONValue? {
        let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        return document["paths"]?[parts[1]]?[parts[0].lowercased()]
    }

    /// `value` itself, or what its `$ref` points at.
    func dereferenced(_ value: JSONValue) -> JSONValue? {
        guard let reference = value["$ref"]?.stringValue else { return value }
        return validator.resolve(reference).flatMap(dereferenced)
    }

    /// Every way a request body (`instance`, read from `contentType`) breaks what the
    /// document says `operation` takes; empty when it fits or the document describes none.
    func requestProblems(_ operation: String, contentType: String, body instance: JSONValue) -> [String] {
        guard let content = self.operation(operation)?["requestBody"].flatMap(dereferenced)?["content"] else {
            return ["\(operation): the document describes no request body"]
        }
        guard let schema = (content[contentType] ?? content["*/*"])?["schema"] else {
            return ["\(operation): the document does not take \(contentType)"]
        }
        return validator.problems(instance, against: schema).map { "\(operation) request: \($0)" }
    }

    /// Every way an answer of `operation` (`POST /api/v1/leads`) breaks the document: a
    /// status it does not list, a content type it does not list for that status, a
    /// required header missing, a body that does not fit the schema. Empty: it fits.
    func problems(_ operation: String, status: Int, contentType: String?, headers: [String: String], body: [UInt8]) -> [String] {
        guard let documented = self.operation(operation) else { return ["\(operation) is not in the document"] }
        guard let listed = documented["responses"]?[String(status)], let response = dereferenced(listed) else {
            let known = (documented["responses"]?.objectValue ?? [:]).keys.sorted().joined(separator: ", ")
            return ["\(operation): status \(status) is not documented (\(known))"]
        }
        var found: [String] = []
        for (name, header) in response["headers"]?.objectValue ?? [:] {
            guard dereferenced(header)?["required"]?.boolValue == true else { continue }
            if headers[name.lowercased()] == nil { found.append("\(operation) \(status): the header \(name) is missing") }
        }
        guard let content = response["content"]?.objectValue else {
            return body.isEmpty ? found : found + ["\(operation) \(status): a body where the document says none"]
        }
        let media = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let entry = content[media] ?? content["*/*"] else {
            return found + ["\(operation) \(status): content type \(media.debugDescription) is not one of \(content.keys.sorted())"]
        }
        let schema = entry["schema"] ?? .object([:])
        let instance: JSONValue
        if media.hasSuffix("json") {
            do { instance = try JSONValue.parse(body) } catch {
                return found + ["\(operation) \(status): the body is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))"]
            }
        } else {
            instance = .string(String(decoding: body, as: UTF8.self))
        }
        return found + validator.problems(instance, against: schema).map { "\(operation) \(status): \($0)" }
    }
}
