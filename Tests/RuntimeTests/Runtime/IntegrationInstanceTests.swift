import Host
import IntegrationRuntime
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
        var seen: [HTTPRequest] = []
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)) { request in
            seen.append(request)
            return HTTPResponse(status: 200, headers: [("content-type", "application/json")], body: Array(#"{"id":77}"#.utf8))
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
}
