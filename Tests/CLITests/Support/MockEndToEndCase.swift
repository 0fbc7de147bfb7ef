import Foundation
import LeadJSON

/// A bundled fixture that `leadrelay mock` can play back to a live `leadrelay run`: a lead
/// action whose exchanges all have an HTTP answer and whose requests all differ (the mock
/// has no memory, so two equal requests would get the first answer twice), read from
/// disk with the network's origins rewritten to the mock's.
struct MockEndToEndCase {
    var integration: String
    /// The fixture's file name without `.json` (what `--case` pins).
    var name: String
    /// The fixture's text as it is on disk.
    var text: String
    var fixture: [String: JSONValue]

    var action: String { fixture["action"]?.stringValue ?? "push" }
    var outcome: String { fixture["expect"]?["outcome"]?.stringValue ?? "" }
    var externalID: String? { fixture["expect"]?["external_id"]?.stringValue }
    /// What `--expect` is given: the outcome, with its reason when the fixture names one.
    var expectation: String {
        fixture["expect"]?["reason"]?.stringValue.map { outcome + ":" + $0 } ?? outcome
    }
    var exchangeCount: Int { fixture["exchanges"]?.arrayValue?.count ?? 0 }

    static let leadActions: Set = ["push", "register", "update", "approved"]
    /// Fields that make a replayed call differ from a live one (clock, attempt, offer, test
    /// window, a credential store seeded before the call).
    static let replayOnly = ["now", "attempt", "offer", "test", "credentials"]

    /// Every fixture of `integration` under `fixtures` the mock can serve to a live run, in
    /// file-name order.
    static func servable(integration: String, fixtures: String) throws -> [MockEndToEndCase] {
        let dir = fixtures + "/" + integration
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        return try names.compactMap { file in
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            guard let fixture = try JSONValue.parse(text).objectValue else { return nil }
            let found = MockEndToEndCase(integration: integration, name: String(file.dropLast(5)), text: text, fixture: fixture)
            return found.isServable ? found : nil
        }
    }

    var isServable: Bool {
        guard Self.leadActions.contains(action), fixture["lead"] != nil, ["accepted", "rejected", "retry"].contains(outcome),
            Self.replayOnly.allSatisfy({ fixture[$0] == nil })
        else { return false }
        let exchanges = fixture["exchanges"]?.arrayValue ?? []
        guard !exchanges.isEmpty, exchanges.allSatisfy({ $0["response"]?["error"] == nil }) else { return false }
        let requests = exchanges.map { exchange -> JSONValue? in
            var request = exchange["request"]?.objectValue
            request?["headers"] = nil
            return request.map(JSONValue.object)
        }
        return Set(requests).count == requests.count
    }

    /// The scheme and authority of every URL the fixture's requests go to, longest first.
    var origins: [String] {
        let urls = (fixture["exchanges"]?.arrayValue ?? []).compactMap { $0["request"]?["url"]?.stringValue }
        let found = Set(urls.compactMap(Self.origin(of:)))
        return found.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// `https://host:port` of an absolute URL, nil for anything else.
    static func origin(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        return rest[..<end].isEmpty ? nil : String(url[..<end])
    }

    /// `text` with every origin of `origins` replaced by `mock`: requests, params and
    /// answers (a token answer's instance URL) all name the mock.
    func rewriting(_ text: String, to mock: String) -> String {
        origins.reduce(text) { $0.replacingOccurrences(of: $1, with: mock) }
    }

    /// The fixture file as the mock at `mock` serves it.
    func rewrittenText(mock: String) -> String { rewriting(text, to: mock) }
}
