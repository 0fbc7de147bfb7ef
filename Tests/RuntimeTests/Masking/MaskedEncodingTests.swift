import Foundation
import Host
import LeadJSON
import OutboundHTTP
import XCTest

@testable import IntegrationRuntime

/// `SecretMasker.maskedEncoding` (mask while writing, what a store keeps of every attempt)
/// writes the same text as masking the tree and then encoding it.
final class MaskedEncodingTests: XCTestCase {
    private func maskers() -> [SecretMasker] {
        var named = SecretMasker()
        named.add("tok-SECRET-123", name: "api_token")
        named.add("Xy7!pass", name: "lead.password")
        named.add("s3", name: "short")
        named.add("4242", name: "pin")
        var plain = SecretMasker(secrets: ["tok-SECRET-123", "4242", "s3"])
        plain.namesSecrets = false
        named.namesSecrets = true
        return [SecretMasker(), plain, named]
    }

    private let values: [JSONValue] = [
        .null, .bool(true), .integer(-7), .integer(424_242), .number(0.5), .number(4242.5), .string(""),
        .string("token=tok-SECRET-123&pw=Xy7%21pass and s3 alone, not in as3x"),
        .string("json \"tok-SECRET-123\" \\ tab\t line\n \u{01} é ✓ \\u0074ok-SECRET-123"),
        .array([.string("s3"), .integer(4242), .array([]), .object([:])]),
        .object([
            "Authorization": .string("Bearer abc.def"), "cookie": .string("sid=1; lang=en"), "Set-Cookie": .string("a=b; Path=/"),
            "nested": .object(["x": .string("dG9rLVNFQ1JFVC0xMjM="), "n": .number(1e-7), "b": .bool(false), "z": .null]),
            "b": .string("plain"), "a": .string("tok-secret-123"),
        ]),
        // Keys that masking changes: two become the same "***", as in the tree.
        .object(["k-tok-SECRET-123": .integer(1), "ok": .object(["4242": .string("v"), "s3": .string("w")])]),
    ]

    func testMaskedEncodingWritesWhatMaskingThenEncodingWrites() {
        for masker in maskers() {
            for value in values {
                XCTAssertEqual(masker.maskedEncoding(value), masker.mask(value).encoded(), "\(value), \(masker.names)")
            }
        }
    }

    func testMaskedEncodingHidesSecretsAndNamesThem() {
        var masker = SecretMasker()
        masker.add("tok-SECRET-123", name: "api_token")
        masker.namesSecrets = true
        let text = masker.maskedEncoding(
            .object(["url": .string("https://x/?t=tok-SECRET-123"), "n": .integer(7), "Authorization": .string("Bearer q")]))
        XCTAssertEqual(text, #"{"Authorization":"Bearer ***","n":7,"url":"https://x/?t=***api_token***"}"#)
    }

    func testAStoredReportsTextIsItsJSONEncoded() throws {
        var params = SecretMasker()
        params.add("tok-SECRET-123", name: "api_token")
        let request = OutboundRequest(
            method: "POST", url: "https://crm.example/leads?key=tok-SECRET-123",
            headers: [("content-type", "application/json"), ("Authorization", "Bearer tok-SECRET-123")],
            body: Array(#"{"email":"a@b.example","password":"Xy7!pass","n":4242}"#.utf8))
        let response = OutboundResponse(status: 200, body: Array(#"{"lead_uuid":"u-1","token":"tok-SECRET-123"}"#.utf8))
        let result = CallResult(
            value: .outcome(Outcome(.accepted)), exchanges: [Exchange(request: request, response: response)], masker: params)
        let report = CallReport.stored(result, hiding: [(name: "lead.password", value: "Xy7!pass")])
        XCTAssertEqual(report.encodedJSON, report.json.encoded())
        XCTAssertFalse(report.encodedJSON.contains("tok-SECRET"), report.encodedJSON)
        XCTAssertFalse(report.encodedJSON.contains("Xy7!pass"), report.encodedJSON)
        XCTAssertTrue(report.encodedJSON.contains("***lead.password***"), report.encodedJSON)
    }
}
