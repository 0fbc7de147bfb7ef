import Foundation
import Host
import IntegrationRuntime
import XCTest

/// `leadrelay check` shows the first difference of a failing case with every secret masked:
/// secrets from a `default`, numeric ones, derived forms, values the script registers, and
/// the credentials of `Authorization` headers.
final class FixtureMaskingTests: XCTestCase {
    var dir = ""

    static let script = """
        local M = {
          name = "masky", title = "Masking", actions = { "push" },
          params = {
            base = { default = "https://crm.example" }, user = { default = "user" },
            api_key = { secret = true, default = "dflt-S3cret-key" }, pin = { secret = true }, code = { secret = true },
            register = { default = false },
          },
        }
        function M.prepare(lead, ctx)
          local p = ctx.params
          local token = "drv-" .. string.rep("z", 3) .. "-" .. lead.id .. "-91"
          if ctx.params.register then log.secret(token) end
          return { url = p.base .. "/leads", headers = {
            Authorization = "Basic " .. crypto.base64_encode(p.user .. ":" .. p.api_key),
            ["X-Key"] = string.upper(p.api_key), ["X-Token"] = token,
          }, json = { pin = p.pin, code = p.code } }
        end
        function M.parse_status(response, ctx)
          return { outcome = "rejected", reason = "unknown",
                   message = "refused " .. tostring(ctx.params.pin) .. " " .. ctx.request.headers["X-Token"] }
        end
        return M
        """

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "leadrelay-fixture-mask-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/integrations", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/fixtures/masky", withIntermediateDirectories: true)
        try Self.script.write(toFile: dir + "/integrations/masky.lua", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes one case whose single exchange expects `headers` and answers 400; runs check.
    func check(params: String = #"{"pin": 73918264}"#, headers: String = "{}", expect: String = #"{"outcome": "rejected"}"#, cases: Int = 1)
        async -> CheckReport
    {
        for i in 0..<cases {
            let fixture = """
                { "description": "case \(i)", "action": "push", "params": \(params), "lead": { "id": "L-1" },
                  "exchanges": [ { "request": { "method": "POST", "url": "https://crm.example/leads", "headers": \(headers) },
                                   "response": { "status": 400, "body": "no" } } ],
                  "expect": \(expect) }
                """
            try! fixture.write(toFile: dir + "/fixtures/masky/case\(i).json", atomically: true, encoding: .utf8)
        }
        return await FixtureRunner.check(integrations: dir + "/integrations", fixtures: dir + "/fixtures")
    }

    func difference(_ report: CheckReport) -> String {
        XCTAssertEqual(report.loadErrors.count, 0, report.text())
        XCTAssertEqual(report.failed.count, 1, report.text())
        return report.failed.first?.difference ?? ""
    }

    func testASecretFromItsDefaultIsMaskedInADiffInAnyCase() async {
        let diff = difference(await check(headers: #"{ "X-Key": "wrong" }"#))
        XCTAssertTrue(diff.contains("X-Key"), diff)
        XCTAssertFalse(diff.lowercased().contains("dflt-s3cret-key"), diff)
        XCTAssertTrue(diff.contains(#"got "***""#), diff)
    }

    func testAuthorizationCredentialsAreMaskedKeepingTheScheme() async {
        let diff = difference(await check(headers: #"{ "Authorization": "Basic b3RoZXI6cGFzcw==" }"#))
        XCTAssertEqual(diff, #"exchanges[0].request.headers.Authorization: expected "Basic ***", got "Basic ***""#)
    }

    func testNumericAndRegisteredSecretsAreMaskedInAMessageDiff() async {
        let diff = difference(
            await check(
                params: #"{"pin": 73918264, "register": true}"#, expect: #"{ "outcome": "rejected", "message_contains": "accepted" }"#))
        XCTAssertFalse(diff.contains("73918264"), diff)
        XCTAssertFalse(diff.contains("drv-zzz-L-1-91"), diff)
        XCTAssertTrue(diff.contains(#"refused *** ***"#), diff)
    }

    func testAShortSecretIsWarnedAboutOnceByNameWithoutItsValue() async {
        let report = await check(params: #"{"pin": 73918264, "code": "xq"}"#, cases: 2)
        XCTAssertEqual(report.failed.count, 0, report.text())
        let warnings = report.warnings.filter { $0.contains("\"code\"") }
        XCTAssertEqual(warnings.count, 1, report.text())
        XCTAssertFalse(report.text().contains("xq"), report.text())
    }
}
