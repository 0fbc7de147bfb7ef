import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import NetworkEmulators
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// The test window, `POST /api/v1/offers/{id}/test`: a lead run through an offer's route,
/// dry or live against the sandbox, with `ctx.test` set (IREV's `is_test`), nothing stored.
final class TestWindowTests: XCTestCase {
    func testDryShowsTheRequestLiveReachesTheNetworkAsATestLead() async throws {
        let temporary = try TemporaryDirectory("test-window")
        defer { temporary.remove() }
        let emulators = try await EmulatorServer.start(EmulatorServer.Configuration(postbackInterval: 0))
        let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        let scripts = try IntegrationDirectory(path: ServiceEndToEndTests.integrationsDirectory, transport: transport)
        _ = try scripts.rescan()
        let store = try temporary.sealedStore()
        let c = emulators.configuration.credentials
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        let route = try await store.save(
            OfferRoute(
                offerID: "7", integration: "irev",
                params: ["base_url": .string(emulators.baseURL(.irev)), "api_token": .string(c.irevToken), "is_test": .string("false")],
                secretParams: ["api_token"], postbackToken: "t-irev"))
        let loopback = try XCTUnwrap(IPRange(from: "127.0.0.1"))
        try await store.save(Employee(id: "E1", name: "Ops", role: .manager))
        let token = try await store.issueEmployeeKey(employeeID: "E1", allowlist: [loopback], expiresAt: Date().timeIntervalSince1970 + 600)
            .1.text
        var quiet = Logger(label: "test-window")
        quiet.logLevel = .critical
        let server = try await LeadRelayServer.start(
            .init(host: "127.0.0.1", port: 0),
            parts: .init(store: store, dispatcher: nil, scripts: scripts, integrations: { scripts.names.count }), logger: quiet)
        let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        func send(_ body: String, token: String? = token) async -> (status: Int, json: JSONValue?) {
            var headers: [(name: String, value: String)] = [("content-type", "application/json")]
            if let token { headers.append(("authorization", "Bearer \(token)")) }
            let answer = await client.perform(
                OutboundRequest(
                    method: "POST", url: "http://127.0.0.1:\(server.port)/api/v1/offers/7/test", headers: headers, body: Array(body.utf8),
                    timeout: 10))
            return (answer.status, try? JSONValue.parse(answer.body))
        }
        let lead =
            #"{"first_name": "Anna", "last_name": "Test", "email": "window@example.com", "phone": "+4915112345678", "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass"}"#

        let dry = await send(#"{"lead": \#(lead)}"#)
        XCTAssertEqual(dry.status, 200, "\(String(describing: dry.json))")
        XCTAssertEqual(dry.json?["mode"], .string("dry"))
        XCTAssertEqual(dry.json?["route"]?["id"], .integer(route.id))
        XCTAssertEqual(dry.json?["request"]?["json"]?["is_test"], .bool(true), "a test call is a test lead at IREV")
        let authorization = dry.json?["request"]?["headers"]?["Authorization"]?.stringValue ?? ""
        XCTAssertTrue(authorization.hasPrefix("***") && !authorization.contains(c.irevToken), authorization)
        XCTAssertEqual(emulators.store.leads(.irev).count, 0, "a dry run sends nothing")

        let live = await send(#"{"lead": \#(lead), "mode": "live"}"#)
        XCTAssertEqual(live.status, 200, "\(String(describing: live.json))")
        XCTAssertEqual(live.json?["outcome"], .string("accepted"), "\(String(describing: live.json))")
        let exchange = live.json?["exchanges"]?.arrayValue?.first
        XCTAssertEqual(exchange?["response"]?["status"], .integer(200))
        XCTAssertFalse(live.json?.encoded().contains(c.irevToken) ?? true, "the token never shows")
        XCTAssertEqual(emulators.store.leads(.irev).count, 1)
        XCTAssertEqual(emulators.store.leads(.irev).first?.fields["is_test"], "true")
        let backlog = try await store.backlog(now: Date().timeIntervalSince1970)
        XCTAssertEqual(backlog, LeadBacklog(due: 0, scheduled: 0, sending: 0), "a test stores no lead")

        let bad = await send(#"{"lead": {"email": 5}, "mode": "sideways"}"#)
        XCTAssertEqual(bad.status, 422)
        let nobody = await send(#"{"lead": \#(lead)}"#, token: nil)
        XCTAssertEqual(nobody.status, 401)

        await server.stop()
        client.shutdown()
        scripts.shutdown()
        transport.shutdown()
        await emulators.stop()
    }
}
