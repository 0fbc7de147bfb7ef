import IntegrationRuntime
import OutboundHTTP
import XCTest

/// An egress refusal ends the call as outcome `error`, whichever hook made the request:
/// a script can neither see it as a transport failure nor swallow it with `pcall`.
final class EgressRefusalTests: XCTestCase {
    private let refusal = OutboundResponse.failed(.egressRefused, detail: "egress refused: 169.254.169.254 is link-local")

    func testARefusalInsideSendUnderPcallStillEndsTheCallAsError() throws {
        let code = TestScripts.script(
            extra: """
                  function M.send(request, ctx)
                    local ok, res = pcall(http.request, { method = "GET", url = "http://169.254.169.254/latest/meta-data/" })
                    return { status = 200, seen = tostring(ok) .. " " .. tostring(res and res.error) }
                  end
                """,
            prepare: "return { url = 'https://crm.example/leads' }",
            parse: "return { outcome = 'accepted', external_id = response.seen }")
        let instance = try TestScripts.instance(code)
        var requests = 0
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in
            requests += 1
            return self.refusal
        }
        XCTAssertEqual(requests, 1)
        XCTAssertEqual(result.outcome?.kind, .error, "\(String(describing: result.outcome))")
        XCTAssertTrue(
            result.outcome?.message?.contains("egress refused: 169.254.169.254 is link-local") ?? false,
            result.outcome?.message ?? "")
        // The VM goes on serving: the next call is answered normally.
        let next = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in
            OutboundResponse(status: 200)
        }
        XCTAssertEqual(next.outcome?.kind, .accepted, next.outcome?.message ?? "")
    }

    func testTheCircuitBreakerTakesARefusalAsNeutral() throws {
        let code = TestScripts.script(prepare: "return { url = 'http://169.254.169.254/' }", parse: "return { outcome = 'accepted' }")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in self.refusal }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertEqual(CircuitBreaker.Event(result: result), .neutral, "nothing reached the network")
    }
}
