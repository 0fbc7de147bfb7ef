import XCTest

@testable import IntegrationRuntime
@testable import OutboundHTTP

/// URLs as the native client reads them, and requests as it writes them.
final class WireTargetTests: XCTestCase {
    func testOriginsAuthoritiesAndTargets() throws {
        let cases: [(String, Bool, String, Int, String, String)] = [
            ("https://API.Example.com/v2/leads?x=1#frag", true, "api.example.com", 443, "api.example.com", "/v2/leads?x=1"),
            ("HTTP://127.0.0.1:8080", false, "127.0.0.1", 8080, "127.0.0.1:8080", "/"),
            ("http://host.test:80?q=1", false, "host.test", 80, "host.test", "/?q=1"),
            ("https://[::1]:8443/p", true, "::1", 8443, "[::1]:8443", "/p"),
            ("http://under_score.local:/x", false, "under_score.local", 80, "under_score.local", "/x"),
        ]
        for (url, secure, host, port, authority, target) in cases {
            let parsed = try WireTarget(url: url)
            XCTAssertEqual(parsed.origin, WireTarget.Origin(secure: secure, host: host, port: port), url)
            XCTAssertEqual(parsed.authority, authority, url)
            XCTAssertEqual(parsed.requestTarget, target, url)
            XCTAssertNil(parsed.basicAuthorization, url)
        }
    }

    func testUserInformationBecomesBasicAuth() throws {
        let parsed = try WireTarget(url: "https://aff%40x:p%3Ass@crm.test/api")
        XCTAssertEqual(parsed.basicAuthorization, "Basic " + Data("aff@x:p:ss".utf8).base64EncodedString())
        XCTAssertEqual(parsed.origin.host, "crm.test")
    }

    func testMalformedURLs() {
        for url in [
            "http://", "http://[bad/", "http://[::g]/", "http://host:99999/", "http://host:8x/", "http://ho$t/",
            "mailto:x@y", "ftp://host/", "http//host/", "http://:80/",
        ] {
            XCTAssertThrowsError(try WireTarget(url: url), url)
        }
    }

    private func encode(_ request: OutboundRequest) throws -> String {
        var bytes: [UInt8] = []
        RequestEncoder.encode(request, to: try WireTarget(url: request.url), userAgent: "LeadRelay/0.1", into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    func testRequestsOnTheWire() throws {
        let post = try encode(
            OutboundRequest(
                method: "POST", url: "http://u:p@crm.test:81/l?a=b",
                headers: [("X-Key", "k"), ("X-Empty", "")], body: Array("{}".utf8)))
        XCTAssertEqual(
            post,
            "POST /l?a=b HTTP/1.1\r\nHost: crm.test:81\r\nAuthorization: Basic dTpw\r\nUser-Agent: LeadRelay/0.1\r\n"
                + "X-Key: k\r\nX-Empty:\r\nContent-Length: 2\r\n\r\n{}")
        let emptyPost = try encode(OutboundRequest(method: "POST", url: "http://crm.test/"))
        XCTAssertTrue(emptyPost.hasSuffix("Content-Length: 0\r\n\r\n"))
        let get = try encode(
            OutboundRequest(
                method: "GET", url: "https://crm.test/s",
                headers: [("X-Key", "k"), ("host", "other.test"), ("User-Agent", "mine")]))
        XCTAssertEqual(
            get, "GET /s HTTP/1.1\r\nHost: other.test\r\nX-Key: k\r\nUser-Agent: mine\r\n\r\n",
            "the request's own Host goes first, where the URL's would")
        let head = try encode(OutboundRequest(method: "HEAD", url: "http://crm.test/"))
        XCTAssertFalse(head.contains("Content-Length"))
    }
}
