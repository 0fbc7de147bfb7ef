import Foundation
import Host
import LeadJSON
import OutboundHTTP
import XCTest

@testable import IntegrationRuntime

/// `FixtureMatcher`: an expected request of a fixture against the request a script sent.
/// Every rule of the format has cases that must match and cases that must not (a matcher
/// that accepted everything fails this suite).
final class FixtureMatcherTests: XCTestCase {
    /// The first difference between the fixture's request `expected` (JSON text) and `actual`.
    func difference(_ expected: String, _ actual: OutboundRequest, file: StaticString = #filePath, line: UInt = #line) -> FixtureDifference?
    {
        guard let object = (try? JSONValue.parse(Array(expected.utf8)))?.objectValue else {
            XCTFail("not a JSON object: \(expected)", file: file, line: line)
            return FixtureDifference(path: "", expected: "", actual: "")
        }
        return FixtureMatcher.difference(request: object, actual: actual, label: "exchanges[0].request")
    }

    func assertMatches(_ expected: String, _ actual: OutboundRequest, file: StaticString = #filePath, line: UInt = #line) {
        let d = difference(expected, actual, file: file, line: line)
        XCTAssertNil(d, "\(expected) should match \(actual.method) \(actual.url): \(d?.description ?? "")", file: file, line: line)
    }

    /// Asserts a difference at `path`.
    func assertDiffers(_ expected: String, _ actual: OutboundRequest, at path: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let d = difference(expected, actual, file: file, line: line) else {
            return XCTFail(
                "\(expected) matched \(actual.method) \(actual.url) \(String(decoding: actual.body, as: UTF8.self))",
                file: file, line: line)
        }
        XCTAssertEqual(d.path, path, d.description, file: file, line: line)
    }

    static func post(_ url: String, headers: [(name: String, value: String)] = [], body: String = "") -> OutboundRequest {
        OutboundRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8))
    }

    func testMethod() {
        let get = OutboundRequest(method: "GET", url: "https://crm.example/a")
        assertMatches(#"{ "method": "GET", "url": "https://crm.example/a" }"#, get)
        assertMatches(#"{ "method": "get", "url": "https://crm.example/a" }"#, get)
        assertDiffers(#"{ "method": "POST", "url": "https://crm.example/a" }"#, get, at: "exchanges[0].request.method")
        // No method in the fixture means POST.
        assertMatches(#"{ "url": "https://crm.example/a" }"#, Self.post("https://crm.example/a"))
        assertDiffers(#"{ "url": "https://crm.example/a" }"#, get, at: "exchanges[0].request.method")
    }

    func testSchemeHostAndPathCompareExactly() {
        let sent = Self.post("https://crm.example/api/leads")
        assertMatches(#"{ "url": "https://crm.example/api/leads" }"#, sent)
        for other in [
            "http://crm.example/api/leads", "https://crm.example.org/api/leads", "https://crm.example/api/lead",
            "https://crm.example/api/leads/", "https://crm.example:8443/api/leads",
        ] {
            assertDiffers("{ \"url\": \"\(other)\" }", sent, at: "exchanges[0].request.url")
        }
        assertDiffers(#"{ "method": "POST" }"#, sent, at: "exchanges[0].request.url")
    }

    func testQueryParametersIgnoreOrderButNotValuesOrCount() {
        let sent = Self.post("https://crm.example/leads?b=2&a=1&c=x%20y")
        assertMatches(#"{ "url": "https://crm.example/leads?a=1&b=2&c=x%20y" }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/leads?c=x+y&b=2&a=1" }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/leads", "query": { "a": "1", "b": 2, "c": "x y" } }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/leads?a=1", "query": { "b": "2", "c": "x y" } }"#, sent)
        assertDiffers(#"{ "url": "https://crm.example/leads?a=1&b=3&c=x%20y" }"#, sent, at: "exchanges[0].request.query.b")
        // A parameter missing from the request, one too many, a repeated one.
        assertDiffers(#"{ "url": "https://crm.example/leads?a=1&b=2&c=x%20y&d=4" }"#, sent, at: "exchanges[0].request.query.d")
        assertDiffers(#"{ "url": "https://crm.example/leads?a=1&b=2" }"#, sent, at: "exchanges[0].request.query.c")
        assertDiffers(#"{ "url": "https://crm.example/leads?a=1&a=1&b=2&c=x%20y" }"#, sent, at: "exchanges[0].request.query.a")
        assertDiffers(#"{ "url": "https://crm.example/leads" }"#, sent, at: "exchanges[0].request.query.b")
        // Names are case-sensitive.
        assertDiffers(#"{ "url": "https://crm.example/leads?A=1&b=2&c=x%20y" }"#, sent, at: "exchanges[0].request.query.A")
    }

    func testRepeatedQueryParametersCountAsPairs() {
        let sent = Self.post("https://crm.example/leads?id=2&id=1")
        assertMatches(#"{ "url": "https://crm.example/leads?id=1&id=2" }"#, sent)
        assertDiffers(#"{ "url": "https://crm.example/leads?id=1" }"#, sent, at: "exchanges[0].request.query.id")
        assertDiffers(#"{ "url": "https://crm.example/leads?id=1&id=1" }"#, sent, at: "exchanges[0].request.query.id")
    }

    func testAnyMatchesAQueryValueButNotAMissingParameter() {
        let sent = Self.post("https://crm.example/leads?ts=1767225600&sig=ab12")
        assertMatches(#"{ "url": "https://crm.example/leads", "query": { "ts": "{{any}}", "sig": "{{any}}" } }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/leads?ts={{any}}&sig=ab12" }"#, sent)
        assertDiffers(
            #"{ "url": "https://crm.example/leads", "query": { "ts": "{{any}}", "sig": "{{any}}", "n": "{{any}}" } }"#,
            sent, at: "exchanges[0].request.query.n")
        assertDiffers(#"{ "url": "https://crm.example/leads", "query": { "ts": "{{any}}" } }"#, sent, at: "exchanges[0].request.query.sig")
    }

    func testHeadersAsSentWithNamesInAnyCase() {
        let sent = Self.post("https://crm.example/a", headers: [("X-Api-Key", "k-1"), ("Content-Type", "application/json")])
        assertMatches(#"{ "url": "https://crm.example/a", "headers": { "X-Api-Key": "k-1" } }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/a", "headers": { "x-api-key": "k-1", "CONTENT-TYPE": "application/json" } }"#, sent)
        // Headers not listed are not checked.
        assertMatches(#"{ "url": "https://crm.example/a", "headers": {} }"#, sent)
        // Values are compared exactly, a listed header must be there.
        assertDiffers(
            #"{ "url": "https://crm.example/a", "headers": { "X-Api-Key": "K-1" } }"#, sent, at: "exchanges[0].request.headers.X-Api-Key")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "headers": { "X-Api-Key": "k-1 " } }"#, sent, at: "exchanges[0].request.headers.X-Api-Key")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "headers": { "Accept": "*/*" } }"#, sent, at: "exchanges[0].request.headers.Accept")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "headers": { "Accept": "{{any}}" } }"#, sent, at: "exchanges[0].request.headers.Accept")
        assertMatches(#"{ "url": "https://crm.example/a", "headers": { "x-api-key": "{{any}}" } }"#, sent)
    }

    /// A credential header's value is shown by its scheme only, on both sides.
    func testACredentialHeaderDifferenceHidesTheSecret() throws {
        let sent = Self.post("https://crm.example/a", headers: [("Authorization", "Bearer real-secret-1")])
        let d = try XCTUnwrap(
            difference(#"{ "url": "https://crm.example/a", "headers": { "Authorization": "Bearer other-secret-2" } }"#, sent))
        XCTAssertEqual(d.path, "exchanges[0].request.headers.Authorization")
        XCTAssertFalse(d.description.contains("real-secret-1"), d.description)
        XCTAssertFalse(d.description.contains("other-secret-2"), d.description)
        XCTAssertTrue(d.description.contains("Bearer"), d.description)
    }

    func testAJSONBodyComparesByValue() {
        let sent = Self.post("https://crm.example/a", body: #"{"b":[1,2],"a":{"x":1.0,"y":"z"},"n":null}"#)
        assertMatches(#"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 1 }, "b": [1, 2], "n": null } }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/a", "json": { "a": "{{any}}", "b": ["{{any}}", 2], "n": "{{any}}" } }"#, sent)
        // Another value, another type, another order of a list, a missing or an extra field.
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 2 }, "b": [1, 2], "n": null } }"#, sent,
            at: "exchanges[0].request.json$.a.x")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": "1" }, "b": [1, 2], "n": null } }"#, sent,
            at: "exchanges[0].request.json$.a.x")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 1 }, "b": [2, 1], "n": null } }"#, sent,
            at: "exchanges[0].request.json$.b[0]")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 1 }, "b": [1], "n": null } }"#, sent,
            at: "exchanges[0].request.json$.b[1]")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 1 }, "b": [1, 2, 3], "n": null } }"#, sent,
            at: "exchanges[0].request.json$.b[2]")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 1 }, "b": [1, 2] } }"#, sent,
            at: "exchanges[0].request.json$.n")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 1 }, "b": [1, 2], "n": null, "m": 1 } }"#, sent,
            at: "exchanges[0].request.json$.m")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": { "y": "z", "x": 1 }, "b": [1, 2], "n": false } }"#, sent,
            at: "exchanges[0].request.json$.n")
        // `{{any}}` needs the field to be there.
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": { "a": "{{any}}", "b": "{{any}}", "n": null, "m": "{{any}}" } }"#, sent,
            at: "exchanges[0].request.json$.m")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "json": {} }"#, Self.post("https://crm.example/a", body: "a=1"),
            at: "exchanges[0].request.json")
        assertDiffers(#"{ "url": "https://crm.example/a", "json": [] }"#, sent, at: "exchanges[0].request.json$")
    }

    func testAFormBodyComparesAsPairs() {
        let sent = Self.post("https://crm.example/a", body: "b=2&a=x+y&c=%C3%A9")
        assertMatches(#"{ "url": "https://crm.example/a", "form": { "a": "x y", "b": 2, "c": "é" } }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/a", "form": { "a": "{{any}}", "b": "2", "c": "{{any}}" } }"#, sent)
        assertDiffers(
            #"{ "url": "https://crm.example/a", "form": { "a": "x+y", "b": "2", "c": "é" } }"#, sent, at: "exchanges[0].request.form.a")
        assertDiffers(#"{ "url": "https://crm.example/a", "form": { "a": "x y", "b": "2" } }"#, sent, at: "exchanges[0].request.form.c")
        assertDiffers(
            #"{ "url": "https://crm.example/a", "form": { "a": "x y", "b": "2", "c": "é", "d": "{{any}}" } }"#, sent,
            at: "exchanges[0].request.form.d")
    }

    func testARawBodyComparesByteForByte() {
        let sent = Self.post("https://crm.example/a", body: "<lead id=\"1\"/>")
        assertMatches(#"{ "url": "https://crm.example/a", "body": "<lead id=\"1\"/>" }"#, sent)
        assertMatches(#"{ "url": "https://crm.example/a", "body": "{{any}}" }"#, sent)
        assertDiffers(#"{ "url": "https://crm.example/a", "body": "<lead id=\"1\"/>\n" }"#, sent, at: "exchanges[0].request.body")
        assertDiffers(#"{ "url": "https://crm.example/a", "body": "" }"#, sent, at: "exchanges[0].request.body")
    }

    /// Without `json`, `form` or `body` the body is not checked (documented).
    func testNoBodyInTheFixtureChecksNoBody() {
        assertMatches(#"{ "url": "https://crm.example/a" }"#, Self.post("https://crm.example/a", body: "anything"))
    }
}
