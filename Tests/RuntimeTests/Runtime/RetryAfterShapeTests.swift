import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

/// `retry_after` is a finite number of seconds: anything else a script returns (a hostile
/// `Retry-After: 1e999` passed through) ends the call as outcome `error` naming it, and
/// the process goes on. (Failed before: `math.huge` and `1e20` trapped converting to
/// Int64 when the outcome was written as JSON, killing the process.)
final class RetryAfterShapeTests: XCTestCase {
    private func outcome(_ retryAfter: String) throws -> CallResult {
        let code = TestScripts.script(
            prepare: "return { url = 'https://crm.example/x' }",
            parse: "return { outcome = 'retry', reason = 'rate_limited', retry_after = \(retryAfter) }")
        return try TestScripts.instance(code).run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)) { _ in
            OutboundResponse(status: 429)
        }
    }

    func testANonFiniteRetryAfterIsAnErrorNamingIt() throws {
        for value in ["math.huge", "-math.huge", "0/0"] {
            let result = try outcome(value)
            XCTAssertEqual(result.outcome?.kind, .error, value)
            XCTAssertTrue(result.outcome?.message?.contains("retry_after") ?? false, "\(value): \(result.outcome?.message ?? "")")
            XCTAssertFalse(result.json.encoded().isEmpty)
        }
    }

    func testAHugeFiniteRetryAfterIsKeptAndWrittenAsJSON() throws {
        let result = try outcome("1e20")
        XCTAssertEqual(result.outcome?.kind, .retry)
        XCTAssertEqual(result.outcome?.retryAfter, 1e20)
        XCTAssertEqual(result.outcome?.json["retry_after"], .number(1e20))
        let big = try outcome("2^63")
        XCTAssertEqual(big.outcome?.json["retry_after"], .number(9_223_372_036_854_775_808))
        XCTAssertEqual(try outcome("30").outcome?.json["retry_after"], .integer(30))
        XCTAssertEqual(try outcome("1.5").outcome?.json["retry_after"], .number(1.5))
    }
}
