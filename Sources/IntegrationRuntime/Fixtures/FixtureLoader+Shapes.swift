import Host
import LeadJSON
import OutboundHTTP

/// The shapes inside a fixture the loader checks before a case runs: a recorded request or
/// response with a field the matcher or the replay would skip (a typo, a list where an
/// object belongs, an unknown transport failure) is a load error, not a case that checks
/// less than it says.
extension FixtureLoader {
    static let requestKeys: Set<String> = ["method", "url", "query", "headers", "json", "form", "body"]
    static let responseKeys: Set<String> = ["status", "headers", "json", "body", "error"]

    /// `exchanges[i]`: `{request, response}`, each of its documented shape.
    static func exchange(_ value: JSONValue, at path: String, file: String) throws(ScriptLoadError) -> FixtureExchange {
        guard case .object(let o) = value, let request = o["request"]?.objectValue, let response = o["response"]?.objectValue else {
            throw ScriptLoadError(file: file, message: "\(path) needs \"request\" and \"response\" objects")
        }
        try refuseUnknown(o, known: ["request", "response"], at: path, file: file)
        try checkRequest(request, at: path + ".request", file: file)
        try checkResponse(response, at: path + ".response", file: file)
        return FixtureExchange(request: request, response: response)
    }

    static func checkRequest(_ r: [String: JSONValue], at path: String, file: String) throws(ScriptLoadError) {
        try refuseUnknown(r, known: requestKeys, at: path, file: file)
        guard r["url"]?.stringValue != nil else { throw ScriptLoadError(file: file, message: "\(path) needs \"url\" (a string)") }
        if let m = r["method"], m.stringValue == nil {
            throw ScriptLoadError(file: file, message: "\(path): \"method\" must be a string such as \"GET\"")
        }
        for key in ["headers", "query", "form"] { try checkScalars(r[key], key, at: path, file: file) }
        if let b = r["body"], b.stringValue == nil {
            throw ScriptLoadError(file: file, message: "\(path): \"body\" must be a string (the bytes sent)")
        }
        try atMostOneBody(r, at: path, file: file)
    }

    static func checkResponse(_ r: [String: JSONValue], at path: String, file: String) throws(ScriptLoadError) {
        try refuseUnknown(r, known: responseKeys, at: path, file: file)
        if let e = r["error"] {
            guard let word = e.stringValue, TransportFailure(rawValue: word) != nil else {
                throw ScriptLoadError(
                    file: file,
                    message: "\(path): \"error\" must name a transport failure such as \"timeout\" or \"connect\", not \(e.encoded())")
            }
            if let other = r.keys.sorted().first(where: { $0 != "error" }) {
                throw ScriptLoadError(
                    file: file, message: "\(path): \"error\" replays a transport failure, so \"\(other)\" cannot be given beside it")
            }
            return
        }
        if let s = r["status"] {
            guard let code = s.int64Value, (100...599).contains(code), case .integer = s else {
                throw ScriptLoadError(
                    file: file, message: "\(path): \"status\" must be an HTTP status code from 100 to 599, not \(s.encoded())")
            }
        }
        try checkScalars(r["headers"], "headers", at: path, file: file)
        if let b = r["body"], b.stringValue == nil { throw ScriptLoadError(file: file, message: "\(path): \"body\" must be a string") }
        try atMostOneBody(r, at: path, file: file)
    }

    /// `expect.updates`, when given: a list of objects (each lists the fields compared);
    /// `expect.message_contains`: a non-empty string (`""` would match any message, or none).
    static func checkExpect(_ expect: [String: JSONValue], file: String) throws(ScriptLoadError) {
        if let needle = expect["message_contains"], (needle.stringValue ?? "").isEmpty {
            throw ScriptLoadError(file: file, message: "\"expect.message_contains\" must be a non-empty string, not \(needle.encoded())")
        }
        guard let updates = expect["updates"] else { return }
        guard let list = updates.arrayValue else {
            throw ScriptLoadError(file: file, message: "\"expect.updates\" must be a list of updates, not \(updates.encoded())")
        }
        if let i = list.firstIndex(where: { $0.objectValue == nil }) {
            throw ScriptLoadError(
                file: file,
                message: "\"expect.updates[\(i)]\" must be an object with the fields the update must have, not \(list[i].encoded())")
        }
    }

    /// `headers`, `query` or `form`: an object of strings, numbers or booleans.
    private static func checkScalars(_ value: JSONValue?, _ key: String, at path: String, file: String) throws(ScriptLoadError) {
        guard let value else { return }
        guard case .object(let o) = value else {
            throw ScriptLoadError(file: file, message: "\(path): \"\(key)\" must be an object of names and values")
        }
        for name in o.keys.sorted() {
            switch o[name]! {
            case .string, .integer, .number, .bool: continue
            default:
                throw ScriptLoadError(
                    file: file,
                    message: "\(path): \"\(key)\" value of \(name) must be a string, number or boolean, not \(o[name]!.encoded())")
            }
        }
    }

    private static func atMostOneBody(_ r: [String: JSONValue], at path: String, file: String) throws(ScriptLoadError) {
        let bodies = ["json", "form", "body"].filter { r[$0] != nil }
        if bodies.count > 1 {
            throw ScriptLoadError(file: file, message: "\(path): give one body, \(bodies.joined(separator: " or ")), not both")
        }
    }
}
