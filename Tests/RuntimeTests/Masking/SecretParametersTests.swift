import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// Which parameter values are secrets: declared `secret`, defaults included, numbers and
/// the scalars inside tables; a secret too short to mask is a warning naming it.
final class SecretParametersTests: XCTestCase {
    func testSecretValuesDefaultsNumbersTablesAndShortOnes() throws {
        let code = TestScripts.script(
            params: """
                  d = { secret = true, default = 'dflt-1234' }, n = { secret = true }, t = { secret = true },
                  b = { secret = true }, s = { secret = true }, plain = { default = 'visible' }
                """,
            prepare: "return { url = 'https://crm.example/x' }", parse: "return { outcome = 'accepted' }")
        let manifest = try TestScripts.instance(code).manifest
        let secrets = SecretParameters(
            manifest: manifest,
            params: [
                "n": .integer(12345678), "t": .object(["x": .string("nested-secret"), "y": .integer(5678)]),
                "b": .bool(true), "s": .string("ab"), "plain": .string("visible"),
            ])
        XCTAssertEqual(
            secrets.masker.mask("dflt-1234 12345678 nested-secret 5678 true ab visible"),
            "*** *** *** *** true *** visible")
        XCTAssertEqual(secrets.warnings.count, 1, "\(secrets.warnings)")
        XCTAssertTrue(secrets.warnings[0].hasPrefix("parameter \"s\" is a secret shorter than 4 bytes"), secrets.warnings[0])
        XCTAssertTrue(
            SecretParameters(manifest: manifest, params: ["d": .string("given-value")]).masker.mask("dflt-1234 given-value")
                == "dflt-1234 ***",
            "a given value replaces the default")
    }

    func testAMissingRequiredParameterStillMasksTheOthers() throws {
        let code = TestScripts.script(
            params: "key = { secret = true }, base = { required = true }",
            prepare: "return { url = ctx.params.base }", parse: "return { outcome = 'accepted' }")
        let result = try TestScripts.instance(code).run(
            CallInput(action: .push, lead: TestScripts.lead, params: ["key": .string("k-SECRET-1")], now: 1000)
        ) { _ in .failed(.connect) }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertEqual(result.masker.mask("k-SECRET-1"), "***")
    }
}

/// What a request log stores of an exchange.
final class ExchangeMaskingTests: XCTestCase {
    func testURLHeadersBodiesAndFailureDetailAreMasked() {
        let masker = SecretMasker(secrets: ["s3cr+t/KEY="])
        let exchange = Exchange(
            request: OutboundRequest(
                url: "https://crm.example/leads?pw=s3cr%2Bt%2FKEY%3D",
                headers: [("Authorization", "Bearer abc"), ("X-Key", "S3CR+T/KEY=")],
                body: Array(#"{"pw":"s3cr+t/KEY="}"#.utf8)),
            response: OutboundResponse(
                status: 200, headers: [("set-cookie", "sid=1; Path=/")], body: Array("echo s3cr+t/KEY=".utf8),
                failureDetail: "from s3cr+t/KEY="))
        let masked = masker.mask(exchange)
        XCTAssertEqual(masked.request.url, "https://crm.example/leads?pw=***")
        XCTAssertEqual(masked.request.headers.map(\.value), ["Bearer ***", "***"])
        XCTAssertEqual(String(decoding: masked.request.body, as: UTF8.self), #"{"pw":"***"}"#)
        XCTAssertEqual(masked.response.headers.map(\.value), ["sid=***; Path=/"])
        XCTAssertEqual(String(decoding: masked.response.body, as: UTF8.self), "echo ***")
        XCTAssertEqual(masked.response.failureDetail, "from ***")
    }
}
