import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import leadrelay

/// `leadrelay run --credentials FILE`: what the script keeps with `credentials` lands in
/// the file (0600), the next run reads it back, and the printed report masks it.
final class RunCredentialsTests: XCTestCase {
    func testTwoRunsShareTheFileAndTheReportMasksTheValues() async throws {
        let dir = NSTemporaryDirectory() + "leadrelay-run-credentials-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/integrations", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let code = """
            local M = { name = "demo", title = "Demo", actions = { "push" }, params = {} }
            function M.prepare(lead, ctx)
              local old = credentials.get("refresh_token")
              local new = "rt-generation-" .. tostring((tonumber(old and old:match("%d+$")) or 0) + 1)
              credentials.set("refresh_token", new, { expect = old or false })
              log.info("rotated", old, "to", new)
              return { outcome = "rejected", reason = "duplicate", message = "now " .. new }
            end
            function M.parse_status(response, ctx) return { outcome = "error" } end
            return M
            """
        try code.write(toFile: dir + "/integrations/demo.lua", atomically: true, encoding: .utf8)
        try #"{"id":"L-1"}"#.write(toFile: dir + "/lead.json", atomically: true, encoding: .utf8)
        try "{}".write(toFile: dir + "/params.json", atomically: true, encoding: .utf8)
        let file = dir + "/state/credentials.json"
        func run() async throws -> JSONValue {
            try await RunInvocation(
                integration: "demo", leadFile: dir + "/lead.json", paramsFile: dir + "/params.json", action: "push", check: nil,
                dryRun: false, integrations: dir + "/integrations", credentialsFile: file
            ).execute()
        }
        let first = try await run()
        XCTAssertEqual(first["message"]?.stringValue, "now ***", first.prettyEncoded())
        let second = try await run()
        XCTAssertEqual(second["logs"]?.arrayValue, [.string("[info] rotated *** to ***")], second.prettyEncoded())
        XCTAssertFalse(second.encoded().contains("rt-generation"), second.prettyEncoded())
        XCTAssertEqual(try FileCredentialStore(path: file).values(in: "demo/1"), ["refresh_token": "rt-generation-2"])
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
    }
}
