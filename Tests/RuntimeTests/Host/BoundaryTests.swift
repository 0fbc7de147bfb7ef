import CLua
import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// The Lua boundary (ARCHITECTURE, rules 1 and 4): host functions fail without leaking
/// or crossing Swift frames with longjmp, and errors carry the script position.
final class BoundaryTests: XCTestCase {
    /// The call host functions see while a test's chunk runs.
    private var call: HostCall?
    func testFailingHostFunctionCalledManyTimesDoesNotLeak() throws {
        var limits = LuaLimits()
        limits.cpuSeconds = 60  // this test is about memory; AddressSanitizer makes it slow
        let vm = try LuaVM(limits: limits)
        call = HostCall(now: 0)
        let loop = """
              local n = 0
              for i = 1, 100000 do
                local ok, err = pcall(http.request, "not a table")
                if not ok and err:find("expected a request table", 1, true) then n = n + 1 end
              end
              return n
            """
        XCTAssertEqual(try vm.value(in: call, loop), "100000")
        vm.collectGarbage()
        let before = vm.memoryInUse
        XCTAssertEqual(try vm.value(in: call, loop), "100000")
        vm.collectGarbage()
        let after = vm.memoryInUse
        XCTAssertLessThan(abs(after - before), 16 * 1024, "VM memory grew from \(before) to \(after) bytes")
    }

    func testErrorThroughNestedLuaAndHostCallsNamesScriptAndLine() throws {
        let lib = LuaSource(
            name: "lib/util.lua",
            code: """
                local M = {}
                function M.fetch(req)
                  return http.request(req)
                end
                return M
                """)
        let code = TestScripts.script(
            extra: "local util = require(\"lib.util\")",
            prepare: "return util.fetch({ url = 'https://x.example' })",
            parse: "return {}")
        let instance = try TestScripts.instance(code, libraries: ["lib.util": lib])
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        let message = result.outcome?.message ?? ""
        XCTAssertEqual(result.outcome?.kind, .error)
        // prepare tail-calls into the lib, so no line of the script itself is on the stack:
        // the message names the script and the hook, and keeps where in the lib.
        XCTAssertEqual(
            message,
            "demo: prepare: lib/util.lua:3: http.request: only available inside send (not in prepare, parse_status or a coroutine the script created)"
        )
        XCTAssertNil(result.location)
    }

    func testErrorObjectsOfEveryTypeBecomeMessages() throws {
        for (raise, expected) in [
            ("error(nil)", "error called with nil"), ("error({ message = 'boom' })", "boom"),
            ("error(setmetatable({}, {}))", "error object is a table value"), ("error(42)", "42"),
        ] {
            let code = TestScripts.script(prepare: raise, parse: "return {}")
            let instance = try TestScripts.instance(code)
            let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
            XCTAssertEqual(result.outcome?.kind, .error)
            XCTAssertTrue(result.outcome?.message?.contains(expected) ?? false, "\(raise): \(result.outcome?.message ?? "nil")")
        }
    }

    func testHostileResultTableRunsNoMetamethods() throws {
        let code = TestScripts.script(
            prepare: "return setmetatable({}, { __index = function() error('metamethod ran') end })",
            parse: "return {}")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("request.url is missing") ?? false, result.outcome?.message ?? "")
    }

    func testStrayYieldIsAnError() throws {
        let code = TestScripts.script(prepare: "coroutine.yield(1)", parse: "return {}")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("stray coroutine.yield") ?? false, result.outcome?.message ?? "")
    }

    func testHTTPRequestRefusedInsideAScriptCoroutine() throws {
        let code = TestScripts.script(
            extra: """
                  function M.send(request, ctx)
                    local co = coroutine.create(function() return http.request(request) end)
                    local ok, err = coroutine.resume(co)
                    return { status = 599, body = tostring(ok) .. " " .. tostring(err) }
                  end
                """,
            prepare: "return { url = 'https://x.example' }",
            parse: "return { outcome = 'rejected', reason = 'unknown', message = response.body }")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        XCTAssertEqual(result.outcome?.kind, .rejected)
        XCTAssertTrue(result.outcome?.message?.contains("false") ?? false)
        XCTAssertTrue(result.outcome?.message?.contains("only available inside send") ?? false, result.outcome?.message ?? "")
    }

    func testSendFollowsPagesUnderPcallAndMergesThem() throws {
        let code = TestScripts.script(
            extra: """
                  function M.send(request, ctx)
                    local rows = {}
                    for page = 1, 3 do
                      local ok, res = pcall(http.request, { method = "GET", url = request.url, query = { page = page } })
                      if not ok then error(res) end
                      for _, row in ipairs(res.json) do rows[#rows + 1] = row end
                    end
                    return { status = 200, rows = rows }
                  end
                """,
            prepare: "return { method = 'GET', url = 'https://x.example/leads' }",
            parse: """
                  local updates = {}
                  for _, r in ipairs(response.rows) do updates[#updates + 1] = { external_id = r.id, stage = r.stage } end
                  return { updates = updates }
                """)
        let instance = try TestScripts.instance(code)
        var pages: [String] = []
        let result = instance.run(CallInput(action: .status, now: 0, check: .range, from: "a", to: "b")) { request in
            pages.append(request.url)
            let page = request.url.last!
            return OutboundResponse(status: 200, body: Array(#"[{"id":"\#(page)","stage":"approve"}]"#.utf8))
        }
        XCTAssertEqual(pages, ["https://x.example/leads?page=1", "https://x.example/leads?page=2", "https://x.example/leads?page=3"])
        XCTAssertEqual(result.updates?.map(\.externalID), ["1", "2", "3"])
        XCTAssertEqual(result.exchanges.count, 3)
    }
}
