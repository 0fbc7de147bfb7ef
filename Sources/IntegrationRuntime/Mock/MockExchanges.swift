import Foundation
import Host
import LeadJSON
import OutboundHTTP

/// The recorded exchanges `leadrelay mock` serves: every exchange of every fixture of one
/// integration (or of the one case `--case` names), in file-name order, each with the path
/// it is served at. A fixture's URLs hold the network's address (`params.base_url`): the
/// mock serves each exchange at the URL's part after `base_url`, so a script run with
/// `base_url=http://127.0.0.1:PORT` reaches it; a URL that does not start with `base_url`
/// is served at its own path.
public struct MockExchanges: Sendable {
    /// One servable exchange.
    public struct Entry: Sendable {
        /// The fixture's file name without `.json` (what `--case` names).
        public var caseName: String
        /// `exchanges[i]` of that fixture.
        public var index: Int
        /// The expected request, its URL rewritten to `http://mock` + the path served.
        public var request: [String: JSONValue]
        /// The response replayed.
        public var response: [String: JSONValue]
        /// The method and path served, for the log: `POST /api/leads`.
        public var label: String { (request["method"]?.stringValue?.uppercased() ?? "POST") + " " + path }
        var path: String {
            FixtureMatcher.splitURL(request["url"]?.stringValue ?? "").base.dropFirst(MockExchanges.origin.count).description
        }
    }

    /// The origin the rewritten URLs share.
    static let origin = "http://mock"

    public var entries: [Entry]
    /// Exchanges not served: a replayed transport failure has no HTTP answer to give.
    public var skipped: [String]

    /// Loads the fixtures of `integration` under `fixtures/<integration>/`; `only` keeps
    /// the case of that name. Errors name the file or the case.
    public static func load(fixtures: String, integration: String, only: String? = nil) throws(ScriptLoadError) -> MockExchanges {
        let dir = fixtures + "/" + integration
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: dir) else {
            throw ScriptLoadError(file: dir, message: "no fixtures folder for \(integration) (add \(dir)/<case>.json)")
        }
        let files = names.filter { $0.hasSuffix(".json") }.sorted()
        let cases = files.map { String($0.dropLast(5)) }
        if let only, !cases.contains(only) {
            throw ScriptLoadError(
                file: dir + "/" + only + ".json",
                message: "no such case (cases: \(cases.isEmpty ? "none" : cases.joined(separator: ", ")))")
        }
        var out = MockExchanges(entries: [], skipped: [])
        for (file, name) in zip(files, cases) where only == nil || only == name {
            let path = dir + "/" + file
            let fixture = try FixtureLoader.load(bytes: Array(fm.contents(atPath: path) ?? Data()), file: path, integration: integration)
            let base = fixture.params["base_url"]?.stringValue
            for (i, exchange) in fixture.exchanges.enumerated() {
                if exchange.response["error"] != nil {
                    out.skipped.append("\(name) exchanges[\(i)] (a replayed transport failure)")
                    continue
                }
                var request = exchange.request
                request["url"] = .string(origin + servedPath(request["url"]?.stringValue ?? "", base: base))
                out.entries.append(Entry(caseName: name, index: i, request: request, response: exchange.response))
            }
        }
        return out
    }

    /// The part of `url` after `base` (the fixture's base_url) when it starts with it, else
    /// the URL's path and query; always starting with `/`.
    static func servedPath(_ url: String, base: String?) -> String {
        var rest: Substring
        if let base, !base.isEmpty, url.hasPrefix(base) {
            rest = url.dropFirst(base.count)
        } else if let scheme = url.range(of: "://") {
            let afterHost = url[scheme.upperBound...]
            rest = afterHost.firstIndex { $0 == "/" || $0 == "?" }.map { afterHost[$0...] } ?? ""
        } else {
            rest = Substring(url)
        }
        return rest.hasPrefix("/") ? String(rest) : "/" + rest
    }
}
