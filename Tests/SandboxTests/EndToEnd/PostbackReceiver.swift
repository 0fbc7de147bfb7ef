import Foundation
import Host
import IntegrationRuntime
import LoopbackTesting
import Synchronization
import XCTest

/// A loopback HTTP server on an ephemeral port standing in for LeadRelay's postback
/// endpoint: it answers every request 200 and keeps what it received, so a test can point
/// the sandbox's `postbackURL` at it and feed the captured requests to a script.
final class PostbackReceiver: Sendable {
    private final class Received: Sendable {
        let requests = Mutex<[LoopbackRequest]>([])
    }

    private let server: LoopbackHTTPServer
    private let received = Received()

    init() throws {
        let received = self.received
        server = LoopbackHTTPServer { request in
            received.requests.withLock { $0.append(request) }
            return LoopbackResponse(status: 200, text: "ok")
        }
        try server.start()
    }

    func stop() { server.stop() }

    /// The URL of `path` on this server (`http://127.0.0.1:<port><path>`).
    func url(_ path: String) -> String { server.url(path) }

    /// The requests received so far, oldest first.
    var requests: [LoopbackRequest] { received.requests.withLock { $0 } }

    /// `request` as the inbound request the host hands a postback action (contract
    /// section 3): method, url, path, query (decoded), headers (lower-case names), body,
    /// form (for a form-encoded body) and ip. Query parameters named in `dropping` are
    /// left out of `query` (not of `url`): the sandbox's own `stage` and `state`, which a
    /// real network does not send, so that a test shows a script does without them.
    func inbound(_ request: LoopbackRequest, dropping: Set<String> = []) -> JSONValue {
        var headers: [String: JSONValue] = [:]
        for header in request.headers { headers[header.name.lowercased()] = .string(header.value) }
        let body = String(decoding: request.body, as: UTF8.self)
        let target = request.query.isEmpty ? request.path : request.path + "?" + request.query
        let query = Self.decodePairs(request.query).filter { !dropping.contains($0.key) }
        var inbound: [String: JSONValue] = [
            "method": .string(request.method), "url": .string(url(target)), "path": .string(request.path),
            "query": .object(query), "headers": .object(headers),
            "body": .string(body), "ip": "127.0.0.1",
        ]
        if request.header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            inbound["form"] = .object(Self.decodePairs(body))
        }
        return .object(inbound)
    }

    /// `a=1&b=x%20y` (also `+` for a space) as a table of strings; the last value wins.
    static func decodePairs(_ text: String) -> [String: JSONValue] {
        var pairs: [String: JSONValue] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { part in
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            pairs[parts[0]] = .string(parts.count > 1 ? parts[1] : "")
        }
        return pairs
    }
}

extension ScriptHarness {
    /// Runs the script's postback action on `inbound`.
    func postback(_ inbound: JSONValue) async -> CallResult {
        await pool.run(CallInput(action: .postback, params: params, now: now, inbound: inbound))
    }

    /// Asserts that `action` ends as outcome `error` saying the script does not support it.
    func assertUnsupported(_ action: Action, file: StaticString = #filePath, line: UInt = #line) async {
        let lead = ScriptHarness.lead(["external_id": "ext-1"])
        let result = await pool.run(CallInput(action: action, lead: lead, params: params, now: now))
        XCTAssertEqual(result.outcome?.kind, .error, "\(action.rawValue): \(result.outcome?.message ?? "no outcome")",
                       file: file, line: line)
        let message = result.outcome?.message ?? ""
        XCTAssertTrue(message.contains("does not support the action \"\(action.rawValue)\""), message, file: file, line: line)
        XCTAssertTrue(result.exchanges.isEmpty, "nothing is sent for an unsupported action", file: file, line: line)
    }
}
