import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

/// A credential a script reads or writes is a secret of its call: it never shows in the
/// call's logs, its outcome's message, the report `run` prints or the attempt a store keeps.
final class CredentialMaskingTests: XCTestCase {
    let stored = "stored-refresh-4711"
    let rotated = "rotated-refresh-0815"

    func testACredentialIsMaskedInLogsOutcomeAndStoredAttempt() throws {
        let code = TestScripts.script(
            extra: """
                function M.send(request, ctx)
                  local used = credentials.get('refresh_token')
                  credentials.set('refresh_token', '\(rotated)', { expect = used })
                  log.info('refreshed', used, 'to', '\(rotated)')
                  request.headers = { ['X-Refresh'] = used }
                  request.json = { token = '\(rotated)' }
                  return http.request(request)
                end
                """,
            prepare: "return { method = 'POST', url = 'https://crm.example/token' }",
            parse: "return { outcome = 'rejected', reason = 'unknown', message = 'refused \(stored) and \(rotated)' }")
        let store = MemoryCredentialStore(scope: "demo/1", values: ["refresh_token": stored])
        var input = CallInput(action: .push, lead: TestScripts.lead, now: 1000)
        input.credentials = store
        let result = try TestScripts.instance(code).run(input) { _ in
            OutboundResponse(status: 400, body: Array("echo \(self.stored) \(self.rotated)".utf8))
        }
        XCTAssertEqual(store.values(in: "demo/1"), ["refresh_token": rotated], "the script's write reached the store")
        XCTAssertEqual(result.logs.map(\.message), ["refreshed *** to ***"])
        XCTAssertEqual(result.outcome?.message, "refused *** and ***")
        for (what, text) in [
            ("run's report", CallReport(result).json.encoded()),
            ("the stored attempt", CallReport.stored(result).json.encoded()),
        ] {
            XCTAssertFalse(text.contains(stored), "\(what) shows the stored credential: \(text)")
            XCTAssertFalse(text.contains(rotated), "\(what) shows the rotated credential: \(text)")
            XCTAssertTrue(text.contains("X-Refresh"), "\(what) lost the request: \(text)")
        }
    }
}
