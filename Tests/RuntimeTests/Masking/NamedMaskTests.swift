import Foundation
import Host
import LeadJSON
import OutboundHTTP
import XCTest

@testable import IntegrationRuntime

/// Secrets masked with the name of the parameter they came from, and bodies cut for storage
/// (what the service keeps of an attempt), without a VM.
final class NamedMaskTests: XCTestCase {
    func testANamedSecretIsMarkedWithItsNameInEveryForm() {
        var masker = SecretMasker()
        masker.add("tok-SECRET-123", name: "api_token")
        masker.add("Xy7!pass", name: "lead.password")
        masker.add("s3cr", name: nil)
        XCTAssertEqual(masker.mask("token=tok-SECRET-123&p=s3cr"), "token=***&p=***", "plain marks unless asked")
        masker.namesSecrets = true
        XCTAssertEqual(masker.mask("token=tok-SECRET-123&p=s3cr"), "token=***api_token***&p=***")
        XCTAssertEqual(masker.mask("pw=Xy7%21pass"), "pw=***lead.password***", "percent-encoded")
        let basic = "Basic " + Data("user:tok-SECRET-123".utf8).base64EncodedString()
        XCTAssertFalse(masker.mask(basic).contains("SECRET"), masker.mask(basic))
        XCTAssertTrue(masker.mask(basic).contains("***api_token***"), masker.mask(basic))
        XCTAssertEqual(masker.mask(JSONValue.object(["k": .string("tok-SECRET-123")])), .object(["k": .string("***api_token***")]))
        let merged = SecretMasker().merging(masker)
        XCTAssertEqual(merged.names, masker.names, "merging keeps the names")
    }

    func testAStoredReportNamesSecretsAndCutsBodiesAfterMasking() throws {
        var params = SecretMasker()
        params.add("tok-SECRET-123", name: "api_token")
        // The secret straddles the 64-byte cut: it is masked before the cut, never left half readable.
        let body =
            Array(String(repeating: "a", count: 58).utf8) + Array("tok-SECRET-123".utf8) + Array(String(repeating: "b", count: 100).utf8)
        let request = OutboundRequest(
            method: "POST", url: "https://crm.example/leads", headers: [("content-type", "text/plain")], body: body)
        let response = OutboundResponse(status: 200, body: Array(#"{"ok":true}"#.utf8))
        let result = CallResult(
            value: .outcome(Outcome(.accepted)), exchanges: [Exchange(request: request, response: response)], masker: params)
        let stored = CallReport.stored(result, hiding: [(name: "lead.password", value: "Xy7!pass")], bodyLimit: 64).json
        let sent = try XCTUnwrap(stored["exchanges"]?.arrayValue?.first?["request"])
        XCTAssertEqual(sent["truncated"], .bool(true))
        XCTAssertEqual(sent["body_bytes"], .integer(Int64(body.count)))
        let text = try XCTUnwrap(sent["body"]?.stringValue)
        XCTAssertEqual(text.utf8.count, 64)
        XCTAssertTrue(text.hasSuffix("aaa***api"), text)
        XCTAssertFalse(text.contains("tok-"), text)
        XCTAssertEqual(
            stored["exchanges"]?.arrayValue?.first?["response"]?["json"], .object(["ok": .bool(true)]), "a short body stays whole")
        let printed = CallReport(result).json.encoded()
        XCTAssertTrue(printed.contains("aaa***bbb"), "leadrelay run's report keeps plain marks and whole bodies")
    }
}
