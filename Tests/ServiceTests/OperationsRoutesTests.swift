import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// `/health`, `/metrics` and trusted proxies on a running server, against a real store.
final class OperationsRoutesTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var servers: [LeadRelayServer] = []

    override func setUp() async throws {
        temporary = try TemporaryDirectory("operations")
        store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
    }

    override func tearDown() async throws {
        for server in servers { await server.stop() }
        client.shutdown()
        temporary.remove()
    }

    private func start(trusted: [AddressBlock] = [], integrations: Int = 1) async throws -> (LeadRelayServer, LeadRelayServer.Parts) {
        let network = DispatcherTests.FakeNetwork { _ in Outcome(.rejected, reason: .duplicate, message: "seen") }
        let route = LeadRoute(integration: "demo", runner: network, params: [:], offer: Offer(id: "7", name: "Crypto DE"))
        let parts = LeadRelayServer.Parts(
            store: store,
            dispatcher: Dispatcher(
                store: store, routing: DispatcherTests.FixedRouting(route: route),
                configuration: .init(owner: "ops-test", idleSeconds: 0.02), observer: nil),
            integrations: { integrations })
        var quiet = Logger(label: "ops-test")
        quiet.logLevel = .critical
        let server = try await LeadRelayServer.start(
            .init(host: "127.0.0.1", port: 0, trustedProxies: trusted), parts: parts, logger: quiet)
        servers.append(server)
        return (server, parts)
    }

    private func send(
        _ server: LeadRelayServer, _ method: String, _ path: String, body: String = "", headers: [(name: String, value: String)] = []
    ) async -> OutboundResponse {
        await client.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)", headers: [("content-type", "application/json")] + headers,
                body: Array(body.utf8), timeout: 10))
    }

    func testHealthSaysLiveAndReadyAndNamesWhatIsNotReady() async throws {
        let (server, parts) = try await start()
        let ready = await send(server, "GET", "/health/ready")
        XCTAssertEqual(ready.status, 200)
        XCTAssertEqual(try JSONValue.parse(ready.body)["checks"]?["store"], .string("ok"))
        parts.health.markStopping()
        let stopping = await send(server, "GET", "/health")
        XCTAssertEqual(stopping.status, 503)
        XCTAssertEqual(try JSONValue.parse(stopping.body)["checks"]?["stopping"], .string("the service is stopping"))
        let live = await send(server, "GET", "/health/live")
        XCTAssertEqual(live.status, 200, "stopping is still live")
        let (empty, _) = try await start(integrations: 0)
        let none = await send(empty, "GET", "/health/ready")
        XCTAssertEqual(none.status, 503)
        XCTAssertTrue(String(decoding: none.body, as: UTF8.self).contains("none loaded"))
    }

    func testMetricsCountLeadsInAttemptsByOutcomeAndTheQueue() async throws {
        let network = DispatcherTests.FakeNetwork { _ in Outcome(.rejected, reason: .duplicate, message: "seen") }
        let route = LeadRoute(integration: "demo", runner: network, params: [:], offer: Offer(id: "7", name: "Crypto DE"))
        let metrics = ServiceMetrics()
        let parts = LeadRelayServer.Parts(
            store: store,
            dispatcher: Dispatcher(
                store: store, routing: DispatcherTests.FixedRouting(route: route),
                configuration: .init(owner: "ops-test", idleSeconds: 0.02),
                observer: ServiceObserver(metrics: metrics, logger: Logger(label: "quiet", factory: { _ in SwiftLogNoOpLogHandler() }))),
            metrics: metrics, integrations: { 3 })
        var quiet = Logger(label: "ops-test")
        quiet.logLevel = .critical
        let server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), parts: parts, logger: quiet)
        servers.append(server)
        let token = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads], allowlist: [IPRange(from: "127.0.0.1")!],
            expiresAt: Date().timeIntervalSince1970 + 600
        ).1.text
        let lead = #"{"offer_id": "7", "first_name": "Anna", "email": "anna@example.com", "country": "DE"}"#
        let posted = await send(server, "POST", "/api/v1/leads", body: lead, headers: [("authorization", "Bearer \(token)")])
        XCTAssertEqual(posted.status, 202)
        let refused = await send(server, "POST", "/api/v1/leads", body: lead, headers: [("authorization", "Bearer nope")])
        XCTAssertEqual(refused.status, 401)
        let expected = [
            #"leadrelay_leads_received_total{status="202"} 1"#, #"leadrelay_leads_received_total{status="401"} 1"#,
            #"leadrelay_attempts_total{integration="demo",outcome="rejected",reason="duplicate"} 1"#,
            #"leadrelay_attempt_duration_seconds_count{integration="demo"} 1"#, #"leadrelay_leads_waiting{state="due"} 0"#,
            "leadrelay_integrations_loaded 3",
        ]
        // The attempt's counter, its duration and the queue gauge are each recorded a moment
        // apart: read until all are there (or 5 s passed), then check each.
        var text = ""
        for _ in 0..<250 {
            text = String(decoding: await send(server, "GET", "/metrics").body, as: UTF8.self)
            if expected.allSatisfy(text.contains) { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        for line in expected { XCTAssertTrue(text.contains(line), "\(line) missing from\n\(text)") }
    }

    func testForwardedForCountsOnlyFromATrustedProxy() async throws {
        let token = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads], allowlist: [IPRange(from: "203.0.113.0", to: "203.0.113.255")!],
            expiresAt: Date().timeIntervalSince1970 + 600
        ).1.text
        let lead = #"{"offer_id": "7", "first_name": "Anna", "email": "anna@example.com", "country": "DE"}"#
        let headers = [("authorization", "Bearer \(token)"), ("x-forwarded-for", "203.0.113.5")]
        let (direct, _) = try await start()
        let untrusted = await send(direct, "POST", "/api/v1/leads", body: lead, headers: headers)
        XCTAssertEqual(untrusted.status, 403, "nobody is trusted")
        let (proxied, _) = try await start(trusted: [AddressBlock("127.0.0.0/8")!])
        let trusted = await send(proxied, "POST", "/api/v1/leads", body: lead, headers: headers)
        XCTAssertEqual(trusted.status, 202)
        let (elsewhere, _) = try await start(trusted: [AddressBlock("10.0.0.0/8")!])
        let otherProxy = await send(elsewhere, "POST", "/api/v1/leads", body: lead, headers: headers)
        XCTAssertEqual(otherProxy.status, 403, "the peer is not a trusted proxy")
    }
}
