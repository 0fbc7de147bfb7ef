import Foundation
import LeadJSON
import Logging
import XCTest

@testable import LeadRelayService

/// Health, metrics, the document itself and networks' postbacks against docs/openapi.json.
extension OpenAPIConformanceTests {
    static let operationsOperations = [
        "GET /health", "GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.json",
        "GET /postback/{integration}/{token}", "POST /postback/{integration}/{token}",
    ]

    func testOperationsAndPostbacksAnswerAsDocumented() async throws {
        await call("GET /health/live", "/health/live", expect: 200)
        await call("GET /health/ready", "/health/ready", expect: 200)
        await call("GET /health", "/health", expect: 200)
        await call("GET /metrics", "/metrics", expect: 200)
        let served = await call("GET /openapi.json", "/openapi.json", expect: 200)
        let same = try JSONValue.parse(served.text) == OpenAPISpec.load().document
        XCTAssertTrue(same, "the served document is not docs/openapi.json: run `make openapi`")

        let id = try await registeredLead()
        let get = "GET /postback/{integration}/{token}"
        let stored = await call(get, "/postback/relay/t-relay?id=X-\(id)&stage=hold", expect: 200)
        XCTAssertEqual(stored.json?["stored"], .integer(1), stored.text)
        await call(get, "/postback/relay/t-relay?id=X-\(id)&refuse=1", expect: 400)
        await call(get, "/postback/relay/t-relay?id=X-\(id)&fail=1", expect: 500)
        await call(get, "/postback/relay/t-other?id=X-\(id)", expect: 404)
        await call(get, "/postback/other/t-relay?id=X-\(id)", expect: 404)
        let post = "POST /postback/{integration}/{token}"
        await call(post, "/postback/relay/t-relay", "id=X-\(id)&stage=approve", type: "application/x-www-form-urlencoded", expect: 200)
        await call(post, "/postback/relay/t-relay", String(repeating: "a", count: 70_000), type: "text/plain", expect: 413)
        assertDrove(Self.operationsOperations)
    }

    /// `/health/ready` answers 503 with its checks when no integration is loaded.
    func testReadinessRefusalAnswersAsDocumented() async throws {
        var quiet = Logger(label: "openapi-ready")
        quiet.logLevel = .critical
        let idle = try await LeadRelayServer.start(
            .init(host: "127.0.0.1", port: 0), parts: .init(store: store, dispatcher: nil, integrations: { 0 }), logger: quiet)
        let running = server
        server = idle
        await call("GET /health/ready", "/health/ready", expect: 503)
        await call("GET /health", "/health", expect: 503)
        server = running
        await idle.stop()
    }
}
