import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import LoopbackTesting
import Synchronization
import XCTest

/// A loopback HTTP server on an ephemeral port standing in for LeadRelay's postback
/// endpoint: it answers every request 200 and keeps what it received, so a test can point
/// the emulators' `postbackURL` at it and feed the captured requests to a script.
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
    /// left out of `query` (not of `url`): the emulators' own `stage` and `state`, which a
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
        await pool.run(CallInput(action: .postback, subject: .postback(inbound: inbound), params: params, now: now))
    }

    /// Asserts that `action` ends as outcome `error` saying the script does not support it.
    func assertUnsupported(_ action: Action, file: StaticString = #filePath, line: UInt = #line) async {
        let lead = ScriptHarness.lead(["external_id": "ext-1"])
        let result = await pool.run(CallInput(action: action, subject: .lead(lead), params: params, now: now))
        XCTAssertEqual(
            result.outcome?.kind, .error, "\(action.rawValue): \(result.outcome?.message ?? "no outcome")",
            file: file, line: line)
        let message = result.outcome?.message ?? ""
        XCTAssertTrue(message.contains("does not support the action \"\(action.rawValue)\""), message, file: file, line: line)
        XCTAssertTrue(result.exchanges.isEmpty, "nothing is sent for an unsupported action", file: file, line: line)
    }
}

extension PostbackReceiver {
    /// The scenario every network's postback test runs: push a lead, let the emulator's
    /// timeline move it to "no answer" (60 s) and then to deposited (180 s), and feed each
    /// postback it sends here to the script without the emulators' own `stage` and `state`
    /// parameters. The first must be a wait update with `waitStatus`, the second an approve
    /// update with `depositStatus`, the emulators' payout (10 USD) and its time.
    func assertPostbacksBecomeUpdates(
        _ h: EmulatorHarness, _ s: ScriptHarness, waitStatus: String, depositStatus: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let pushed = await s.deliver(.push)
        let id = try XCTUnwrap(pushed?.externalID, pushed?.message ?? "", file: file, line: line)

        h.clock.advance(by: 60)
        let first = await h.server.deliverDuePostbacks()
        XCTAssertEqual(first, 1, "no answer after 60 s", file: file, line: line)
        let noAnswer = try XCTUnwrap(requests.last, file: file, line: line)
        let waiting = await s.postback(inbound(noAnswer, dropping: ["stage", "state"]))
        let pending = try XCTUnwrap(waiting.updates?.first, "\(waiting.value)", file: file, line: line)
        XCTAssertEqual(waiting.updates?.count, 1, file: file, line: line)
        XCTAssertEqual(pending.externalID, id, file: file, line: line)
        XCTAssertEqual(pending.stage, .wait, file: file, line: line)
        XCTAssertEqual(pending.status, waitStatus, file: file, line: line)
        XCTAssertEqual(pending.at, "2026-01-01T00:01:00Z", file: file, line: line)
        XCTAssertNil(pending.amount, file: file, line: line)

        h.clock.advance(by: 120)
        let second = await h.server.deliverDuePostbacks()
        XCTAssertEqual(second, 1, "deposited after 180 s", file: file, line: line)
        let deposit = try XCTUnwrap(requests.last, file: file, line: line)
        let deposited = await s.postback(inbound(deposit, dropping: ["stage", "state"]))
        let update = try XCTUnwrap(deposited.updates?.first, "\(deposited.value)", file: file, line: line)
        XCTAssertEqual(update.externalID, id, file: file, line: line)
        XCTAssertEqual(update.stage, .approve, file: file, line: line)
        XCTAssertEqual(update.status, depositStatus, file: file, line: line)
        XCTAssertEqual(update.amount, 10, file: file, line: line)
        XCTAssertEqual(update.currency, "USD", file: file, line: line)
        XCTAssertEqual(update.at, "2026-01-01T00:03:00Z", file: file, line: line)
    }
}
