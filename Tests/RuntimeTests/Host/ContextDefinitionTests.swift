import Foundation
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// The editor's `leadrelay.Ctx` (types/leadrelay/ctx.lua) names exactly the fields the host
/// puts in `ctx`: a field added to the host without a definition, or a definition of a field
/// the host never sets, fails here.
final class ContextDefinitionTests: XCTestCase {
    /// The `---@field` names of `---@class leadrelay.Ctx`.
    func definedFields() throws -> Set<String> {
        let file = HostDefinitionsTests.root.appendingPathComponent("types/leadrelay/ctx.lua")
        let text = try String(contentsOf: file, encoding: .utf8)
        guard let start = text.range(of: "---@class leadrelay.Ctx\n") else {
            XCTFail("types/leadrelay/ctx.lua defines no leadrelay.Ctx")
            return []
        }
        let lines = text[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("---@field ") }
        return Set(lines.map { line in String(line.dropFirst("---@field ".count).prefix { $0 != " " && $0 != "?" }) })
    }

    /// The keys of `ctx` in `prepare` and in `parse_status` of one call each of a push, a
    /// processing check and a range check.
    func hostFields() throws -> Set<String> {
        let code = TestScripts.script(
            prepare: """
                  local keys = {}
                  for k in pairs(ctx) do keys[#keys + 1] = k end
                  ctx.state.seen = table.concat(keys, " ")
                  return { method = "GET", url = "https://crm.example/x" }
                """,
            parse: """
                  local keys = {}
                  for k in pairs(ctx) do keys[#keys + 1] = k end
                  return { outcome = "retry", reason = "unknown", message = ctx.state.seen .. " " .. table.concat(keys, " ") }
                """)
        let instance = try TestScripts.instance(code)
        let inputs = [
            CallInput(action: .push, lead: TestScripts.lead, now: 0),
            CallInput(action: .status, now: 0, check: .processing, leads: [.object(["id": .string("L-1"), "external_id": .string("7")])]),
            CallInput(action: .status, now: 0, check: .range, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z"),
        ]
        var keys: Set<String> = []
        for input in inputs {
            let result = instance.run(input) { _ in OutboundResponse(status: 200) }
            guard let message = result.outcome?.message, result.outcome?.kind == .retry else {
                XCTFail("the call did not end as the script's retry: \(String(describing: result.outcome))")
                continue
            }
            keys.formUnion(message.split(separator: " ").map(String.init))
        }
        return keys
    }

    func testCtxDefinitionNamesExactlyTheHostsFields() throws {
        let host = try hostFields()
        XCTAssertTrue(host.contains("params") && host.contains("request"), "\(host.sorted())")
        let defined = try definedFields()
        XCTAssertEqual(host.subtracting(defined).sorted(), [], "ctx fields without a ---@field in types/leadrelay/ctx.lua")
        XCTAssertEqual(defined.subtracting(host).sorted(), [], "---@field of leadrelay.Ctx the host never sets")
    }
}
