import Dispatch
import Foundation
import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

@testable import leadrelay

/// `leadrelay run` has the pools' watchdog: a script whose VM stays in host code past its
/// deadline plus the grace period ends as `error` naming the `time limit`, and the
/// command returns (the process can exit) while the stuck thread is left behind.
final class RunWatchdogTests: XCTestCase {
    var dir = ""

    /// Held shut until a test opens it: `time.hold()` blocks on it inside host code, where
    /// no hook runs (only a test can add such a function).
    static let gate = DispatchSemaphore(value: 0)

    static let hold: HostFunction = { _, _ in
        gate.wait()
        gate.signal()  // once open, it stays open for every other waiter
        return 0
    }

    static var modules: [HostModule] {
        var modules = StandardModules.all
        if let i = modules.firstIndex(where: { $0.name == "time" }) {
            modules[i].functions.append((name: "hold", function: hold))
        }
        return modules
    }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "leadrelay-run-watchdog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/integrations", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        Self.gate.signal()
        try? FileManager.default.removeItem(atPath: dir)
    }

    struct NoNetwork: HTTPTransport {
        func perform(_ request: OutboundRequest) async -> OutboundResponse { .failed(.connect, detail: "no network in this test") }
    }

    func testAScriptStuckInHostCodeEndsWithTheTimeLimitAndRunReturns() async throws {
        let script = """
            local M = { name = "held", title = "Held", actions = { "push" }, params = { key = { secret = true } } }
            function M.prepare(lead, ctx)
              time.hold()
              return { url = "https://crm.example/leads" }
            end
            function M.parse_status(response, ctx) return { outcome = "accepted", external_id = "1" } end
            return M
            """
        try script.write(toFile: dir + "/integrations/held.lua", atomically: true, encoding: .utf8)
        try #"{"id":"L-1"}"#.write(toFile: dir + "/lead.json", atomically: true, encoding: .utf8)
        try #"{"key":"k-123456"}"#.write(toFile: dir + "/params.json", atomically: true, encoding: .utf8)
        var limits = LuaLimits()
        limits.instructions = 0
        limits.cpuSeconds = 0.2
        limits.abandonGraceSeconds = 0.3
        let output = try await RunInvocation(
            integration: "held", leadFile: dir + "/lead.json", paramsFile: dir + "/params.json", action: "push", check: nil,
            dryRun: false, integrations: dir + "/integrations", transport: NoNetwork(), limits: limits, modules: Self.modules
        ).execute()
        XCTAssertEqual(output["outcome"]?.stringValue, "error", output.prettyEncoded())
        let message = output["message"]?.stringValue ?? ""
        XCTAssertTrue(message.hasPrefix("held: prepare: time limit exceeded: the script stayed inside C code"), message)
        XCTAssertTrue(message.hasSuffix("its VM was abandoned"), message)
        XCTAssertNil(output["exchanges"], output.prettyEncoded())
    }
}
