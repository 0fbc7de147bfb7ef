import Foundation
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import Synchronization
import XCTest

/// `LiveTransport` against the loopback server: every case a script can meet on the wire.
final class LiveTransportTests: XCTestCase {
    private var transport: LiveTransport!

    /// Runs `body` on each engine with `transport` set to a fresh transport of that engine.
    private func withEachTransport(_ body: () async throws -> Void) async rethrows {
        try await onEachEngine { engine in
            transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            try await body()
        }
    }

    /// A server echoing the request into response headers and body.
    private func echoServer() throws -> LoopbackHTTPServer {
        let server = LoopbackHTTPServer { request in
            var headers: [(name: String, value: String)] = [
                ("X-Method", request.method), ("X-Path", request.path), ("X-Query", request.query),
                ("X-Header-Names", request.headers.map(\.name).joined(separator: ",")),
            ]
            for (name, value) in request.headers { headers.append(("X-Got-\(name)", value)) }
            return LoopbackResponse(status: 200, headers: headers, body: request.body)
        }
        try server.start()
        return server
    }

    private func value(_ response: OutboundResponse, _ name: String) -> String? {
        response.headers.first { $0.name == name }?.value
    }

    func testGetRoundTrip() async throws {
        try await withEachTransport {
            let server = try echoServer()
            defer { server.stop() }
            let response = await transport.perform(
                OutboundRequest(
                    method: "GET", url: server.url("/v1/leads?status=new&page=2"),
                    headers: [("X-Api-Key", "k-123"), ("Accept", "application/json")]))
            XCTAssertNil(response.failure, response.failureDetail ?? "")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(value(response, "x-method"), "GET")
            XCTAssertEqual(value(response, "x-path"), "/v1/leads")
            XCTAssertEqual(value(response, "x-query"), "status=new&page=2")
            XCTAssertEqual(value(response, "x-got-x-api-key"), "k-123")
            XCTAssertEqual(value(response, "x-got-accept"), "application/json")
            XCTAssertEqual(value(response, "x-got-user-agent"), "LeadRelay/0.1")
            XCTAssertEqual(value(response, "x-header-names"), "Host,User-Agent,X-Api-Key,Accept", "no extra headers, no body headers")
            XCTAssertEqual(response.body, [])
            XCTAssertTrue(response.headers.allSatisfy { $0.name == $0.name.lowercased() })
            XCTAssertGreaterThan(response.elapsed, 0)
        }
    }

    func testPostSendsExactBodyBytesAndHeaders() async throws {
        try await withEachTransport {
            let server = try echoServer()
            defer { server.stop() }
            let body: [UInt8] = [0x7B, 0x00, 0x01, 0xFF, 0x00, 0x0D, 0x0A, 0x7D]
            let response = await transport.perform(
                OutboundRequest(
                    method: "POST", url: server.url("/signup"),
                    headers: [("Content-Type", "application/octet-stream"), ("X-Empty", "")], body: body))
            XCTAssertEqual(response.status, 200, response.failureDetail ?? "")
            XCTAssertEqual(response.body, body)
            XCTAssertEqual(value(response, "x-method"), "POST")
            XCTAssertEqual(value(response, "x-got-content-length"), "8")
            XCTAssertEqual(value(response, "x-got-content-type"), "application/octet-stream")
            XCTAssertEqual(value(response, "x-got-x-empty"), "")
            XCTAssertNil(value(response, "x-got-expect"))
            XCTAssertNil(value(response, "x-got-accept"))
        }
    }

    func testLargePostBodyWithoutContentTypeGetsNoneAdded() async throws {
        try await withEachTransport {
            let server = try echoServer()
            defer { server.stop() }
            let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let response = await transport.perform(OutboundRequest(method: "PUT", url: server.url("/big"), body: body))
            XCTAssertEqual(response.status, 200, response.failureDetail ?? "")
            XCTAssertEqual(value(response, "x-method"), "PUT")
            XCTAssertEqual(response.body, body)
            XCTAssertNil(value(response, "x-got-content-type"))
            XCTAssertNil(value(response, "x-got-expect"), "no Expect: 100-continue for large bodies")
        }
    }

    func testStatusCodesPassThroughAndRedirectsAreNotFollowed() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { request in
                switch request.path {
                case "/created": LoopbackResponse(status: 201, text: "made")
                case "/missing": LoopbackResponse(status: 404, text: "nope")
                case "/broken": LoopbackResponse(status: 500, text: "boom")
                case "/moved": LoopbackResponse(status: 302, headers: [("Location", "/created")], text: "")
                default: LoopbackResponse(status: 400, text: "?")
                }
            }
            try server.start()
            defer { server.stop() }
            for (path, status, body) in [
                ("/created", 201, "made"), ("/missing", 404, "nope"), ("/broken", 500, "boom"), ("/moved", 302, ""),
            ] {
                let response = await transport.perform(OutboundRequest(method: "GET", url: server.url(path)))
                XCTAssertNil(response.failure, path)
                XCTAssertEqual(response.status, status, path)
                XCTAssertEqual(String(decoding: response.body, as: UTF8.self), body, path)
            }
            let moved = await transport.perform(OutboundRequest(method: "GET", url: server.url("/moved")))
            XCTAssertEqual(value(moved, "location"), "/created")
            XCTAssertEqual(server.requestsServed, 5, "the redirect was not followed")
        }
    }

    func testTimeout() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "late", delay: 2) }
            try server.start()
            defer { server.stop() }
            let started = Date()
            let response = await transport.perform(OutboundRequest(method: "GET", url: server.url("/slow"), timeout: 0.3))
            let took = Date().timeIntervalSince(started)
            XCTAssertEqual(response.failure, .timeout, response.failureDetail ?? "")
            XCTAssertEqual(response.status, 0)
            XCTAssertNotNil(response.failureDetail)
            XCTAssertGreaterThanOrEqual(took, 0.25)
            XCTAssertLessThan(took, 0.8)
        }
    }

    func testConnectionRefused() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "") }
            try server.start()
            let url = server.url("/")
            server.stop()
            let response = await transport.perform(OutboundRequest(method: "GET", url: url))
            XCTAssertEqual(response.failure, .connect, response.failureDetail ?? "")
        }
    }

    func testResponseOverTheSizeLimit() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { _ in LoopbackResponse(body: [UInt8](repeating: 65, count: 100_000)) }
            try server.start()
            defer { server.stop() }
            let tooLarge = await transport.perform(OutboundRequest(method: "GET", url: server.url("/"), maxResponseBytes: 10_000))
            XCTAssertEqual(tooLarge.failure, .responseTooLarge, tooLarge.failureDetail ?? "")
            XCTAssertEqual(tooLarge.body, [])
            let fits = await transport.perform(OutboundRequest(method: "GET", url: server.url("/"), maxResponseBytes: 100_000))
            XCTAssertEqual(fits.body.count, 100_000)
        }
    }

    func testInvalidURLsAreRefused() async throws {
        try await withEachTransport {
            for url in ["not a url", "file:///etc/passwd", "ftp://127.0.0.1/x", "http://exa mple.com/", ""] {
                let response = await transport.perform(OutboundRequest(method: "GET", url: url))
                XCTAssertEqual(response.failure, .invalidRequest, url)
                XCTAssertEqual(response.body, [], url)
            }
            let badHeader = await transport.perform(
                OutboundRequest(
                    method: "GET", url: "http://127.0.0.1:1/", headers: [("X-Evil", "a\r\nHost: other")]))
            XCTAssertEqual(badHeader.failure, .invalidRequest)
            let badMethod = await transport.perform(OutboundRequest(method: "GET /x HTTP/1.1\r\n", url: "http://127.0.0.1:1/"))
            XCTAssertEqual(badMethod.failure, .invalidRequest)
        }
    }
}
