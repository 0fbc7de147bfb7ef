import Foundation
import Host
import LeadJSON
import OutboundHTTP

/// Picks the recorded exchange that answers a request `leadrelay mock` received: the
/// request must equal the recorded one in method, path, query and body (JSON bodies as
/// JSON, forms as pairs, `"{{any}}"` matching anything, as `check` compares them; headers
/// are not compared). Of several that match, the most specific wins: the one that pins
/// the most fields (query parameters, body members; `{{any}}` pins nothing), ties to the
/// first in file-name order.
public struct MockMatcher: Sendable {
    /// A request as the mock received it.
    public struct Request: Sendable {
        public var method: String
        /// The path, from `/`.
        public var path: String
        /// The raw query, without `?` (empty when none).
        public var query: String
        public var body: [UInt8]

        public init(method: String, path: String, query: String, body: [UInt8]) {
            self.method = method
            self.path = path
            self.query = query
            self.body = body
        }

        var outbound: OutboundRequest {
            OutboundRequest(method: method.uppercased(), url: MockExchanges.origin + path + (query.isEmpty ? "" : "?" + query), body: body)
        }
    }

    /// What the mock answers.
    public struct Answer: Sendable {
        /// The entry that matched, nil when none did.
        public var entry: MockExchanges.Entry?
        public var status: Int
        /// Header names in lower case.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
    }

    /// How many near misses a 404 lists.
    public static let nearestShown = 3

    public let exchanges: MockExchanges

    public init(_ exchanges: MockExchanges) { self.exchanges = exchanges }

    /// The recorded response of the best match, or a 404 whose JSON body lists the nearest
    /// exchanges (fewest differences first) and every difference of each.
    public func answer(_ request: Request) -> Answer {
        let actual = request.outbound
        var misses: [(entry: MockExchanges.Entry, differences: [FixtureDifference])] = []
        var best: (entry: MockExchanges.Entry, score: Int)?
        for entry in exchanges.entries {
            var expected = entry.request
            expected["headers"] = nil
            let found = FixtureMatcher.differences(request: expected, actual: actual, label: "request")
            if found.isEmpty {
                let score = Self.specificity(entry.request)
                if best == nil || score > best!.score { best = (entry, score) }
            } else {
                misses.append((entry, found))
            }
        }
        if let best {
            let r = ReplayTransport.response(best.entry.response, maxBytes: Int.max)
            return Answer(entry: best.entry, status: r.status, headers: r.headers, body: r.body)
        }
        // Nearest: a different method or path weighs more than any number of differing fields.
        func distance(_ found: [FixtureDifference]) -> Int {
            found.reduce(0) { $0 + ($1.path == "request.method" || $1.path == "request.url" ? 1000 : 1) }
        }
        let nearest = misses.enumerated().sorted { a, b in
            let (x, y) = (distance(a.element.differences), distance(b.element.differences))
            return x != y ? x < y : a.offset < b.offset
        }.prefix(Self.nearestShown).map { $0.element }
        let body: JSONValue = .object([
            "error": .string("no recorded exchange matches \(actual.method) \(request.path)"),
            "nearest": .array(
                nearest.map { miss in
                    .object([
                        "case": .string(miss.entry.caseName), "exchange": .integer(Int64(miss.entry.index)),
                        "request": .string(miss.entry.label),
                        "differences": .array(
                            miss.differences.map { .string($0.description.replacingOccurrences(of: MockExchanges.origin, with: "")) }),
                    ])
                }),
        ])
        return Answer(entry: nil, status: 404, headers: [("content-type", "application/json")], body: Array(body.prettyEncoded().utf8))
    }

    /// How many fields a recorded request pins: method and path, each query parameter,
    /// each body member (JSON leaves, form pairs, a whole raw body); `{{any}}` pins nothing.
    static func specificity(_ request: [String: JSONValue]) -> Int {
        var score = 2
        let url = request["url"]?.stringValue ?? ""
        let query = FormEncoding.decode(FixtureMatcher.splitURL(url).query)
        score += query.filter { $0.1 != "{{any}}" }.count
        score += (request["query"]?.objectValue ?? [:]).values.filter { $0 != FixtureMatcher.any }.count
        if let json = request["json"] { score += leaves(json) }
        score += (request["form"]?.objectValue ?? [:]).values.filter { $0 != FixtureMatcher.any }.count
        if let body = request["body"], body != FixtureMatcher.any { score += 1 }
        return score
    }

    static func leaves(_ value: JSONValue) -> Int {
        switch value {
        case .object(let o): return o.values.reduce(0) { $0 + leaves($1) }
        case .array(let a): return a.reduce(0) { $0 + leaves($1) }
        default: return value == FixtureMatcher.any ? 0 : 1
        }
    }
}
