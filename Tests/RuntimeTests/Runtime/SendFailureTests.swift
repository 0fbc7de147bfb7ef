import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

/// A `send` hook that fails after its response arrived gives its coroutine back once:
/// later calls on the same instance still see their own `ctx` (a coroutine released twice
/// left two registry references sharing one slot).
final class SendFailureTests: XCTestCase {
    func testCallsAfterASendThatFailedOnItsResponseStillWork() throws {
        let instance = try TestScripts.instance(
            TestScripts.script(
                extra: """
                    function M.send(req, ctx)
                      local res = http.request(req)
                      if ctx.lead.id == "boom" then error("send failed on purpose") end
                      return res
                    end
                    """,
                prepare: "return { method = 'GET', url = ctx.params.base_url .. '/leads/' .. lead.id }",
                parse: "return { outcome = 'accepted', external_id = ctx.lead.id }"))
        for round in 1...3 {
            let boom = instance.run(CallInput(action: .push, lead: .object(["id": .string("boom")]), now: 0)) { _ in
                OutboundResponse(status: 200)
            }
            XCTAssertEqual(boom.outcome?.kind, .error, "round \(round)")
            XCTAssertTrue(boom.outcome?.message?.contains("send failed on purpose") ?? false, "round \(round): \(boom.json.encoded())")
            // Several calls in flight at once, each holding its own context and coroutine.
            let ids = (1...4).map { "L-\(round)-\($0)" }
            var waiting: [(String, PendingCall)] = []
            for id in ids {
                let (call, step) = instance.start(CallInput(action: .push, lead: .object(["id": .string(id)]), now: 0))
                guard case .needsHTTP(let request) = step else { return XCTFail("\(id): did not ask for HTTP") }
                XCTAssertEqual(request.url, "https://crm.example/leads/\(id)")
                waiting.append((id, call))
            }
            for (id, call) in waiting {
                guard case .finished(let result) = instance.resume(call, with: OutboundResponse(status: 200)) else {
                    return XCTFail("\(id): did not finish")
                }
                XCTAssertEqual(result.outcome?.kind, .accepted, "round \(round), \(id): \(result.json.encoded())")
                XCTAssertEqual(result.outcome?.externalID, id, "round \(round): the call saw another call's ctx")
            }
        }
    }

    /// What `send` returns first reaches `parse_status` unchanged, whatever else it returns
    /// after it (a second value used to take its place).
    func testTheFirstValueSendReturnsReachesParseStatus() throws {
        let instance = try TestScripts.instance(
            TestScripts.script(
                extra: """
                    function M.send(req, ctx)
                      local res = http.request(req)
                      res.marked = "from send"
                      return res, "a second value", 3
                    end
                    """,
                prepare: "return { method = 'GET', url = ctx.params.base_url .. '/leads/' .. lead.id }",
                parse: "return { outcome = 'accepted', external_id = type(response) == 'table' and response.marked or type(response) }"))
        let result = instance.run(CallInput(action: .push, lead: .object(["id": .string("L-1")]), now: 0)) { _ in
            OutboundResponse(status: 200)
        }
        XCTAssertEqual(result.outcome?.externalID, "from send", result.json.encoded())
    }
}
