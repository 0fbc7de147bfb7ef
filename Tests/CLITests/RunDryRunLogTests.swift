import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import leadrelay

/// Issue 13, point 2: `leadrelay run --dry-run` prints the log lines the script wrote while
/// preparing, secrets masked, beside the request it would have sent.
final class RunDryRunLogTests: XCTestCase {
    func testADryRunPrintsTheScriptsLogLines() async throws {
        let dir = NSTemporaryDirectory() + "leadrelay-dry-log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/integrations", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = """
            local M = { name = "demo", title = "Demo", actions = { "push" },
              params = { base_url = { required = true }, api_token = { required = true, secret = true } } }
            function M.prepare(lead, ctx)
              log.info("preparing", lead.id, "with", ctx.params.api_token)
              return { url = ctx.params.base_url .. "/leads", json = { id = lead.id } }
            end
            function M.parse_status(response, ctx) return { outcome = "accepted" } end
            return M
            """
        try code.write(toFile: dir + "/integrations/demo.lua", atomically: true, encoding: .utf8)
        try #"{"id":"L-1"}"#.write(toFile: dir + "/lead.json", atomically: true, encoding: .utf8)
        try #"{"base_url":"http://127.0.0.1:9","api_token":"tok-secret-123"}"#.write(
            toFile: dir + "/params.json", atomically: true, encoding: .utf8)
        let output = try await RunInvocation(
            integration: "demo", leadFile: dir + "/lead.json", paramsFile: dir + "/params.json", action: "push", check: nil,
            dryRun: true, integrations: dir + "/integrations"
        ).execute()
        XCTAssertEqual(output["logs"]?.arrayValue, [.string("[info] preparing L-1 with ***")], output.prettyEncoded())
        XCTAssertNotNil(output["request"], output.prettyEncoded())
    }
}
