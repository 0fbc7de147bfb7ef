import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

@testable import leadrelay

/// `leadrelay run` prints requests, answers, logs and the outcome with every secret masked:
/// numeric secrets, secrets from a `default`, derived forms, values a script registers.
final class RunMaskingTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "leadrelay-mask-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/integrations", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Answers every request with 200 and a JSON body echoing the request's body, plus a
    /// session cookie, as a network that repeats what it got would.
    struct EchoTransport: HTTPTransport {
        func perform(_ request: OutboundRequest) async -> OutboundResponse {
            OutboundResponse(
                status: 200, headers: [("content-type", "application/json"), ("set-cookie", "sid=from-the-server-77; Path=/")],
                body: request.body)
        }
    }

    /// Runs `prepare` (the body of a Lua function with `lead`, `ctx` and `p = ctx.params`)
    /// through a script declaring `params`, live against `EchoTransport`; returns the output.
    func run(
        params: String, given: String, prepare: String, parse: String = "return { outcome = 'accepted', external_id = '1' }",
        dryRun: Bool = false
    ) async throws -> JSONValue {
        let script = """
            local M = { name = "masky", title = "Masking", actions = { "push" }, params = { \(params) } }
            function M.prepare(lead, ctx)
              local p = ctx.params
            \(prepare)
            end
            function M.parse_status(response, ctx)
              local p = ctx.params
            \(parse)
            end
            return M
            """
        try script.write(toFile: dir + "/integrations/masky.lua", atomically: true, encoding: .utf8)
        try #"{"id":"L-1"}"#.write(toFile: dir + "/lead.json", atomically: true, encoding: .utf8)
        try given.write(toFile: dir + "/params.json", atomically: true, encoding: .utf8)
        return try await RunInvocation(
            integration: "masky", leadFile: dir + "/lead.json", paramsFile: dir + "/params.json", action: "push", check: nil,
            dryRun: dryRun, integrations: dir + "/integrations", transport: EchoTransport()
        ).execute()
    }

    func assertNothingOf(_ forms: [String], in output: JSONValue, file: StaticString = #filePath, line: UInt = #line) {
        let printed = output.prettyEncoded()
        for form in forms {
            XCTAssertNil(printed.lowercased().range(of: form.lowercased()), "\(form) printed in clear:\n\(printed)", file: file, line: line)
        }
    }

    func testNumericSecretsAndSecretsFromADefaultAreMasked() async throws {
        let output = try await run(
            params:
                "base = { default = 'https://crm.example' }, pin = { secret = true }, api_key = { secret = true, default = 'dflt-S3cret-key' }",
            given: #"{"pin": 73918264}"#,
            prepare: """
                  log.info("pin", p.pin, "key", p.api_key)
                  return { url = p.base .. "/leads", headers = { ["X-Pin"] = p.pin, ["X-Key"] = p.api_key }, json = { pin = p.pin, key = p.api_key } }
                """,
            parse: "return { outcome = 'rejected', reason = 'unauthorized', message = 'pin ' .. p.pin .. ' key ' .. p.api_key }")
        assertNothingOf(["73918264", "dflt-S3cret-key"], in: output)
        XCTAssertEqual(output["exchanges"]?.arrayValue?.first?["request"]?["headers"]?["X-Pin"]?.stringValue, "***", output.prettyEncoded())
        XCTAssertEqual(output["message"]?.stringValue, "pin *** key ***", output.prettyEncoded())
    }

    func testDerivedFormsOfASecretAreMasked() async throws {
        // The brief's example: password s3cr+t/KEY= for user "user".
        let output = try await run(
            params: "base = { default = 'https://crm.example' }, user = { default = 'user' }, password = { secret = true }",
            given: #"{"password": "s3cr+t/KEY="}"#,
            prepare: """
                  local basic = "Basic " .. crypto.base64_encode(p.user .. ":" .. p.password)
                  log.info("login", url.encode(p.password), basic, string.upper(p.password))
                  return {
                    url = p.base .. "/leads?pw=" .. url.encode(p.password),
                    headers = { Authorization = basic, ["X-Hex"] = crypto.hex(p.password) },
                    json = { proxy = "http://" .. p.user .. ":" .. url.encode(p.password) .. "@proxy.example:8080",
                             upper = string.upper(p.password), hex = string.upper(crypto.hex(p.password)),
                             b64 = crypto.base64_encode(p.password), b64url = crypto.base64url_encode("x" .. p.password) },
                  }
                """)
        // As is, percent-encoded, hex, base64 at each alignment (alone, after "x", after "user:").
        assertNothingOf(
            [
                "s3cr+t/KEY=", "s3cr%2Bt%2FKEY%3D", "733363722b742f4b45593d",
                "czNjcit0L0tFWT0", "MzY3IrdC9LRVk9", "zM2NyK3QvS0VZ",
            ], in: output)
        XCTAssertEqual(
            output["exchanges"]?.arrayValue?.first?["request"]?["headers"]?["Authorization"]?.stringValue, "Basic ***",
            output.prettyEncoded())
        XCTAssertEqual(
            output["exchanges"]?.arrayValue?.first?["response"]?["headers"]?["set-cookie"]?.stringValue, "sid=***; Path=/",
            output.prettyEncoded())
    }

    func testAShortSecretIsMaskedOnlyAsAWholeValueAndWarnedAboutOnce() async throws {
        let output = try await run(
            params: "base = { default = 'https://crm.example' }, code = { secret = true }",
            given: #"{"code": "ab"}"#,
            prepare: """
                  log.info("about the tab:", p.code)
                  return { url = p.base .. "/leads", headers = { ["X-Code"] = p.code }, json = { code = p.code, note = "about a tab" } }
                """)
        let printed = output.prettyEncoded()
        XCTAssertEqual(output["exchanges"]?.arrayValue?.first?["request"]?["headers"]?["X-Code"]?.stringValue, "***", printed)
        XCTAssertEqual(output["exchanges"]?.arrayValue?.first?["request"]?["json"]?["code"]?.stringValue, "***", printed)
        XCTAssertEqual(output["exchanges"]?.arrayValue?.first?["request"]?["json"]?["note"]?.stringValue, "about a tab", printed)
        XCTAssertEqual(output["logs"]?.arrayValue?.first?.stringValue, "[info] about the tab: ***", printed)
        let warnings = output["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertEqual(warnings.count, 1, printed)
        XCTAssertTrue(warnings.first?.contains("\"code\"") ?? false, printed)
        XCTAssertFalse(warnings.first?.contains("ab") ?? true, "the warning must not show the value: \(printed)")
    }

    func testAValueTheScriptRegistersIsMasked() async throws {
        let output = try await run(
            params: "base = { default = 'https://crm.example' }, key = { secret = true }",
            given: #"{"key": "k-123456"}"#,
            prepare: """
                  local token = log.secret("drv-" .. string.rep("z", 3) .. "-" .. lead.id .. "-91")
                  log.info("token", token)
                  return { url = p.base .. "/leads", headers = { ["X-Token"] = token }, json = { token = string.upper(token) } }
                """,
            parse: "return { outcome = 'rejected', reason = 'unknown', message = 'token ' .. ctx.request.headers['X-Token'] }")
        assertNothingOf(["drv-zzz-L-1-91"], in: output)
        XCTAssertEqual(output["message"]?.stringValue, "token ***", output.prettyEncoded())
        XCTAssertEqual(output["logs"]?.arrayValue?.first?.stringValue, "[info] token ***", output.prettyEncoded())
    }

    func testADryRunPrintsTheRequestMaskedWithWhatPrepareRegistered() async throws {
        let output = try await run(
            params: "base = { default = 'https://crm.example' }, key = { secret = true }",
            given: #"{"key": "k-123456"}"#,
            prepare: """
                  local token = log.secret("drv-" .. string.rep("z", 3) .. "-" .. lead.id .. "-91")
                  return { url = p.base .. "/leads?t=" .. url.encode(token), headers = { Authorization = "Bearer " .. p.key },
                           json = { key = crypto.base64_encode("u:" .. p.key) } }
                """,
            dryRun: true)
        assertNothingOf(["drv-zzz-L-1-91", "k-123456", "dTprLTEyMzQ1Ng"], in: output)
        XCTAssertEqual(output["request"]?["url"]?.stringValue, "https://crm.example/leads?t=***", output.prettyEncoded())
        XCTAssertEqual(output["request"]?["headers"]?["Authorization"]?.stringValue, "Bearer ***", output.prettyEncoded())
        XCTAssertEqual(output["request"]?["json"]?["key"]?.stringValue, "dT***", output.prettyEncoded())
    }
}
