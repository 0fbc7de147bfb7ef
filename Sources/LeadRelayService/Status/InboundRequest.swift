import Foundation
import LeadJSON

/// The inbound request a `postback` call gets as its `response` (contract, section 3):
/// `method`, `url`, `path`, `query` (an object, empty when none), `headers` (lower-case
/// names), `body` (text), `form` (for a form-encoded body, else absent), `json` (for a
/// JSON body, else absent), `ip`.
enum InboundRequest {
    static func json(
        method: String, url: String, path: String, query: String?, headers: [(String, String)], body: [UInt8],
        contentType: String?, ip: String?
    ) -> JSONValue {
        var object: [String: JSONValue] = [
            "method": .string(method), "url": .string(url), "path": .string(path),
            "query": .object(pairs(query ?? "").mapValues(JSONValue.string)),
            "body": .string(String(decoding: body, as: UTF8.self)),
        ]
        var headerObject: [String: JSONValue] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if case .string(let earlier) = headerObject[key] {
                headerObject[key] = .string(earlier + ", " + value)
            } else {
                headerObject[key] = .string(value)
            }
        }
        object["headers"] = .object(headerObject)
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            object["form"] = .object(pairs(String(decoding: body, as: UTF8.self)).mapValues(JSONValue.string))
        } else if type.contains("json"), let parsed = try? JSONValue.parse(body) {
            object["json"] = parsed
        }
        if let ip { object["ip"] = .string(ip) }
        return .object(object)
    }

    /// `a=1&b=x+y` as decoded pairs; a name given twice keeps its first value; a pair
    /// that does not decode is left out.
    static func pairs(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let sides = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(sides[0]), !name.isEmpty else { continue }
            let value = sides.count > 1 ? decode(sides[1]) : ""
            if result[name] == nil, let value { result[name] = value }
        }
        return result
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
