import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

final class IntegrationInstanceTests: XCTestCase {
    func testPrepareSendsAndParseStatusAccepts() throws {
        let code = TestScripts.script(
            prepare: """
                  return { url = ctx.params.base_url .. "/leads", headers = { ["X-Key"] = "k" }, json = { name = lead.first_name } }
                """,
            parse: """
                  if response.status == 200 then return { outcome = "accepted", external_id = response.json.id } end
                  return { outcome = "rejected", reason = "invalid_data", message = response.body }
                """)
        let instance = try TestScripts.instance(code)
        var seen: [OutboundRequest] = []
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)) { request in
            seen.append(request)
            return OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: Array(#"{"id":77}"#.utf8))
        }
        XCTAssertEqual(result.outcome, Outcome(.accepted, externalID: "77"))
        XCTAssertEqual(seen.count, 1)
        XCTAssertEqual(seen.first?.url, "https://crm.example/leads")
        XCTAssertEqual(String(decoding: seen.first?.body ?? [], as: UTF8.self), #"{"name":"Anna"}"#)
        XCTAssertEqual(seen.first?.header("content-type"), "application/json")
    }

    func testRuntimeErrorNamesHookScriptAndLine() throws {
        let code = TestScripts.script(prepare: "local x = nil\n  return x.field", parse: "return {}")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)) { _ in .failed(.connect) }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("prepare") ?? false, result.outcome?.message ?? "")
        XCTAssertTrue(result.outcome?.message?.contains("demo.lua:10") ?? false, result.outcome?.message ?? "")
    }

    func testOutcomeExtraKeepsEveryValueWhetherFlatOrNested() throws {
        func extra(_ lua: String) throws -> JSONValue? {
            let code = TestScripts.script(
                prepare: "return { url = 'https://crm.example/x' }",
                parse: "return { outcome = 'accepted', external_id = '1', extra = \(lua) }")
            let result = try TestScripts.instance(code).run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)) { _ in
                OutboundResponse(status: 200)
            }
            XCTAssertEqual(result.outcome?.kind, .accepted, result.json.encoded())
            return result.outcome?.extra
        }
        XCTAssertEqual(
            try extra("{ a = 'x', n = 7, b = true, z = json.null }"),
            .object(["a": .string("x"), "n": .integer(7), "b": .bool(true), "z": .null]))
        XCTAssertEqual(
            try extra("{ a = 'x', f = 1.5, g = 2.0, t = { 1, 2 }, e = json.array() }"),
            .object(["a": .string("x"), "f": .number(1.5), "g": .integer(2), "t": .array([.integer(1), .integer(2)]), "e": .array([])]))
        XCTAssertEqual(try extra("{}"), .object([:]))
    }

    func testParamsAreFreshForEveryCallEvenWhenTheOfferIsUnchanged() throws {
        let code = TestScripts.script(
            params: "base_url = { default = 'https://crm.example' }, tags = {}, key = { secret = true }",
            prepare: """
                  local seen = tostring(ctx.params.base_url) .. "|" .. tostring(ctx.params.tags and ctx.params.tags[1])
                  ctx.params.base_url = "https://changed.example"
                  if ctx.params.tags then ctx.params.tags[1] = "changed" end
                  return { url = 'https://crm.example/x', json = { seen = seen } }
                """,
            parse: "return { outcome = 'accepted', external_id = response.json.seen }")
        let instance = try TestScripts.instance(code)
        func seen(_ params: [String: JSONValue]) -> String? {
            instance.run(CallInput(action: .push, lead: TestScripts.lead, params: params, now: 1000)) { request in
                OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: request.body)
            }.outcome?.externalID
        }
        let flat: [String: JSONValue] = ["key": .string("k-1")]
        XCTAssertEqual(seen(flat), "https://crm.example|nil")
        XCTAssertEqual(seen(flat), "https://crm.example|nil", "a script's write to ctx.params must not reach the next call")
        let nested: [String: JSONValue] = ["key": .string("k-1"), "tags": .array([.string("a")])]
        XCTAssertEqual(seen(nested), "https://crm.example|a")
        XCTAssertEqual(seen(nested), "https://crm.example|a", "nor a write into a nested parameter")
        XCTAssertEqual(seen(["key": .string("k-2"), "base_url": .string("https://other.example")]), "https://other.example|nil")
    }
}
