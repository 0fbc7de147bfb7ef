import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import XCTest

/// Less common methods and response shapes.
final class LiveTransportEdgeTests: XCTestCase {
    private var transport: LiveTransport!

    /// Runs `body` on each engine with `transport` set to a fresh transport of that engine.
    private func withEachTransport(_ body: () async throws -> Void) async rethrows {
        try await onEachEngine { engine in
            transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            try await body()
        }
    }

    func testHeadAndDeleteSendNoBody() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { request in
                LoopbackResponse(
                    headers: [("X-Method", request.method), ("X-Length", request.header("content-length") ?? "none")],
                    text: request.method == "HEAD" ? "" : "body")
            }
            try server.start()
            defer { server.stop() }
            let head = await transport.perform(OutboundRequest(method: "HEAD", url: server.url("/h")))
            XCTAssertEqual(head.status, 200, head.failureDetail ?? "")
            XCTAssertEqual(head.headers.first { $0.name == "x-method" }?.value, "HEAD")
            let delete = await transport.perform(OutboundRequest(method: "DELETE", url: server.url("/d")))
            XCTAssertEqual(delete.status, 200, delete.failureDetail ?? "")
            XCTAssertEqual(delete.headers.first { $0.name == "x-method" }?.value, "DELETE")
            XCTAssertEqual(delete.headers.first { $0.name == "x-length" }?.value, "none")
            XCTAssertEqual(delete.body, Array("body".utf8))
            let emptyPost = await transport.perform(OutboundRequest(method: "POST", url: server.url("/p")))
            XCTAssertEqual(emptyPost.headers.first { $0.name == "x-length" }?.value, "0")
        }
    }

    func testOnlyTheFinalResponseHeadersAfterAnInterimResponse() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { _ in
                var response = LoopbackResponse(headers: [("X-Final", "yes")], text: "done")
                response.interim = [(100, [("X-Interim", "yes")])]
                return response
            }
            try server.start()
            defer { server.stop() }
            let response = await transport.perform(OutboundRequest(url: server.url("/"), body: [1]))
            XCTAssertEqual(response.status, 200, response.failureDetail ?? "")
            XCTAssertEqual(response.headers.map(\.name), ["x-final", "content-length"])
            XCTAssertEqual(response.body, Array("done".utf8))
        }
    }

    func testSizeLimitWhileStreamingABodyWithoutContentLength() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { _ in
                var response = LoopbackResponse(body: [UInt8](repeating: 66, count: 300_000))
                response.closeDelimited = true
                return response
            }
            try server.start()
            defer { server.stop() }
            let tooLarge = await transport.perform(OutboundRequest(method: "GET", url: server.url("/"), maxResponseBytes: 100_000))
            XCTAssertEqual(tooLarge.failure, .responseTooLarge, tooLarge.failureDetail ?? "")
            let fits = await transport.perform(OutboundRequest(method: "GET", url: server.url("/"), maxResponseBytes: 300_000))
            XCTAssertEqual(fits.status, 200, fits.failureDetail ?? "")
            XCTAssertEqual(fits.body.count, 300_000)
        }
    }

    func testChunkedAnswersWithExtensionsAndTrailers() async throws {
        try await withEachTransport {
            let body = (0..<25_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            let server = LoopbackHTTPServer { _ in
                var response = LoopbackResponse(headers: [("X-Kind", "chunked")], body: body)
                response.chunked = true
                response.chunkSize = 777
                response.chunkExtension = true
                response.trailer = true
                return response
            }
            try server.start()
            defer { server.stop() }
            for _ in 0..<2 {
                let response = await transport.perform(OutboundRequest(method: "GET", url: server.url("/c")))
                XCTAssertEqual(response.status, 200, response.failureDetail ?? "")
                XCTAssertTrue(response.body == body)
                XCTAssertEqual(response.headers.first { $0.name == "transfer-encoding" }?.value, "chunked")
            }
            XCTAssertEqual(server.connectionsAccepted, 1, "the connection is reused after a chunked answer")
        }
    }

    func testMalformedURLsCurlRejects() async {
        await withEachTransport {
            for url in ["http://[bad/", "http://"] {
                let response = await transport.perform(OutboundRequest(method: "GET", url: url))
                XCTAssertEqual(response.failure, .invalidRequest, "\(url): \(response.failureDetail ?? "")")
            }
        }
    }

    func testElapsedCoversTheServerDelay() async throws {
        try await withEachTransport {
            let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "ok", delay: 0.2) }
            try server.start()
            defer { server.stop() }
            let response = await transport.perform(OutboundRequest(method: "GET", url: server.url("/")))
            XCTAssertEqual(response.status, 200)
            XCTAssertGreaterThanOrEqual(response.elapsed, 0.19)
            XCTAssertLessThan(response.elapsed, 1)
        }
    }
}
