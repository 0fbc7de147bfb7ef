import Foundation
import IntegrationRuntime
import LeadJSON
import LoopbackTesting
import OutboundHTTP
import Synchronization
import XCTest

@testable import leadrelay

/// `leadrelay run` takes the production path: the call runs on a pool, its requests under
/// the script's rate limit, and a lead through the delivery engine with one attempt.
final class RunProductionPathTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "leadrelay-run-path-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/integrations", withIntermediateDirectories: true)
        try #"{"id":"L-1"}"#.write(toFile: dir + "/lead.json", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// A script `demo` whose `send` makes `requests` requests and whose outcome is `outcome`.
    func script(requests: Int, outcome: String, limits: String = "") throws {
        let code = """
            local M = { name = "demo", title = "Demo", actions = { "push" }, params = { base_url = { required = true } } \(limits) }
            function M.prepare(lead, ctx)
              return { method = "POST", url = ctx.params.base_url .. "/leads", json = { id = lead.id } }
            end
            function M.send(request, ctx)
              local last
              for _ = 1, \(requests) do last = http.request(request) end
              return last
            end
            function M.parse_status(response, ctx)
              if "\(outcome)" == "retry" then return { outcome = "retry", reason = "unavailable", message = "try later" } end
              return { outcome = "\(outcome)", external_id = "X-1" }
            end
            return M
            """
        try code.write(toFile: dir + "/integrations/demo.lua", atomically: true, encoding: .utf8)
    }

    func run(_ server: LoopbackHTTPServer, dryRun: Bool = false) async throws -> JSONValue {
        try #"{"base_url":"\#(server.url(""))"}"#.write(toFile: dir + "/params.json", atomically: true, encoding: .utf8)
        return try await RunInvocation(
            integration: "demo", leadFile: dir + "/lead.json", paramsFile: dir + "/params.json", action: "push", check: nil,
            dryRun: dryRun, integrations: dir + "/integrations"
        ).execute()
    }

    /// When each request arrived (monotonic nanoseconds).
    final class Arrivals: Sendable {
        private let times = Mutex<[UInt64]>([])
        func note() { times.withLock { $0.append(SystemClock.monotonicNanos()) } }
        func withLock<T>(_ body: (inout [UInt64]) -> T) -> T { times.withLock { body(&$0) } }
    }

    /// Counts requests and notes when each arrived.
    static func server(_ arrivals: Arrivals) -> LoopbackHTTPServer {
        LoopbackHTTPServer { _ in
            arrivals.note()
            return LoopbackResponse(status: 200, headers: [("Content-Type", "application/json")], text: "{}")
        }
    }

    func testARetryIsOneAttemptAndTheDeliveryEndsError() async throws {
        try script(requests: 1, outcome: "retry")
        let arrivals = Arrivals()
        let server = Self.server(arrivals)
        try server.start()
        defer { server.stop() }
        let output = try await run(server)
        XCTAssertEqual(arrivals.withLock { $0.count }, 1, output.prettyEncoded())
        XCTAssertEqual(output["outcome"]?.stringValue, "retry", output.prettyEncoded())
        XCTAssertEqual(output["delivery"]?.stringValue, "error", output.prettyEncoded())
    }

    func testAnAcceptedLeadIsRecordedAccepted() async throws {
        try script(requests: 1, outcome: "accepted")
        let arrivals = Arrivals()
        let server = Self.server(arrivals)
        try server.start()
        defer { server.stop() }
        let output = try await run(server)
        XCTAssertEqual(output["delivery"]?.stringValue, "accepted", output.prettyEncoded())
        XCTAssertEqual(output["external_id"]?.stringValue, "X-1", output.prettyEncoded())
        XCTAssertEqual(output["exchanges"]?.arrayValue?.count, 1, output.prettyEncoded())
    }

    /// One request a second: the second request of the call waits for its token.
    func testTheScriptsRateLimitHolds() async throws {
        try script(requests: 2, outcome: "accepted", limits: #", limits = { rate = "1/1s" }"#)
        let arrivals = Arrivals()
        let server = Self.server(arrivals)
        try server.start()
        defer { server.stop() }
        let output = try await run(server)
        let times = arrivals.withLock { $0 }
        XCTAssertEqual(times.count, 2, output.prettyEncoded())
        guard times.count == 2 else { return }
        let gap = Double(times[1] - times[0]) / 1e9
        XCTAssertGreaterThanOrEqual(gap, 0.9, "the second request did not wait for the rate limit")
    }

    func testADryRunSendsNothingAndPrintsTheFirstRequest() async throws {
        try script(requests: 2, outcome: "accepted")
        let arrivals = Arrivals()
        let server = Self.server(arrivals)
        try server.start()
        defer { server.stop() }
        let output = try await run(server, dryRun: true)
        XCTAssertEqual(arrivals.withLock { $0.count }, 0)
        XCTAssertEqual(output["request"]?["url"]?.stringValue, server.url("/leads"), output.prettyEncoded())
        XCTAssertEqual(output["request"]?["json"]?["id"]?.stringValue, "L-1", output.prettyEncoded())
        XCTAssertNil(output["outcome"], "a dry run shows no outcome: \(output.prettyEncoded())")
        XCTAssertNil(output["delivery"], output.prettyEncoded())
    }
}
