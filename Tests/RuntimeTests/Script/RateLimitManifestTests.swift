import Host
import IntegrationRuntime
import XCTest

/// `limits.rate` in a script's table: the string form (every request, one bucket) and the
/// table form (`limit`, `methods`, `per`), and the load errors of bad shapes.
final class RateLimitManifestTests: XCTestCase {
    func manifest(rate: String) throws -> IntegrationManifest {
        let code = TestScripts.script(
            extra: "M.limits = { rate = \(rate) }", prepare: "return { url = 'https://crm.example' }",
            parse: "return { outcome = 'accepted' }"
        )
        .replacingOccurrences(of: "M.limits = { rate = \(rate) }", with: "")
        .replacingOccurrences(of: "params = {", with: "limits = { rate = \(rate) },\n  params = {")
        return try IntegrationInstance(source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua").manifest
    }

    func loadError(rate: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try manifest(rate: rate)
            XCTFail("rate = \(rate) loaded", file: file, line: line)
            return ""
        } catch {
            XCTAssertEqual((error as? ScriptLoadError)?.file, "integrations/demo.lua", file: file, line: line)
            return "\(error)"
        }
    }

    func testTheStringFormStillCountsEveryRequestInOneBucket() throws {
        let limits = try manifest(rate: "\"10/3s\"").limits
        XCTAssertEqual(limits.rate, RateLimit("10/3s"))
        XCTAssertEqual(limits.rateScope, .all)
        XCTAssertTrue(limits.rateScope.counts(method: "POST"))
        XCTAssertFalse(limits.rateScope.perCredential)
    }

    func testTheTableFormNamesMethodsAndPerCredential() throws {
        let limits = try manifest(rate: "{ limit = \"10/3s\", methods = { \"GET\", \"head\" }, per = \"credential\" }").limits
        XCTAssertEqual(limits.rate, RateLimit("10/3s"))
        XCTAssertEqual(limits.rateScope, RateScope(methods: ["GET", "HEAD"], perCredential: true))
        XCTAssertTrue(limits.rateScope.counts(method: "get"))
        XCTAssertFalse(limits.rateScope.counts(method: "POST"))

        let plain = try manifest(rate: "{ limit = \"5/1m\" }").limits
        XCTAssertEqual(plain.rate, RateLimit("5/1m"))
        XCTAssertEqual(plain.rateScope, .all, "without methods and per: every request, one bucket")
    }

    func testBadShapesAreLoadErrorsNamingTheField() {
        XCTAssertTrue(loadError(rate: "\"ten per second\"").contains("limits.rate must look like \"10/3s\""))
        XCTAssertTrue(loadError(rate: "10").contains("limits.rate must be a rate such as \"10/3s\""))
        XCTAssertTrue(loadError(rate: "{ methods = { \"GET\" } }").contains("limits.rate: missing \"limit\""))
        XCTAssertTrue(loadError(rate: "{ limit = \"10/0s\" }").contains("limits.rate.limit must look like"))
        XCTAssertTrue(
            loadError(rate: "{ limit = \"10/3s\", method = { \"GET\" } }").contains("unknown key \"method\" (known: limit, methods, per)"))
        XCTAssertTrue(loadError(rate: "{ limit = \"10/3s\", methods = {} }").contains("limits.rate.methods must be a non-empty list"))
        XCTAssertTrue(loadError(rate: "{ limit = \"10/3s\", methods = \"GET\" }").contains("limits.rate.methods must be a non-empty list"))
        XCTAssertTrue(
            loadError(rate: "{ limit = \"10/3s\", methods = { \"FETCH\" } }").contains(
                "limits.rate.methods[1]: \"FETCH\" is not an HTTP method"))
        XCTAssertTrue(
            loadError(rate: "{ limit = \"10/3s\", per = \"token\" }").contains("limits.rate.per must be \"integration\" or \"credential\""))
    }
}
