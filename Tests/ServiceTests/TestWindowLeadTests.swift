import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import NetworkEmulators
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// What the test window keeps (issue 12, point 10: "test leads stay out of reports unless
/// asked for"): a live call is stored as a test lead, final at once, never claimed or
/// redelivered, paid nothing, counted against no cap, and out of the reports unless
/// `include_test=true`; a dry run stores nothing.
final class TestWindowLeadTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var emulators: EmulatorServer!
    var transport: LiveTransport!
    var scripts: IntegrationDirectory!
    var store: SQLiteStore!
    var server: LeadRelayServer!
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var token = ""
    var routeID: Int64 = 0

    override func setUp() async throws {
        temporary = try TemporaryDirectory("test-window-leads")
        emulators = try await EmulatorServer.start(EmulatorServer.Configuration(postbackInterval: 0))
        transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        scripts = try IntegrationDirectory(path: ServiceEndToEndTests.integrationsDirectory, transport: transport)
        _ = try scripts.rescan()
        store = try temporary.sealedStore()
        let c = emulators.configuration.credentials
        try await store.save(
            StoredOffer(id: "7", name: "Crypto DE", payout: Payout(amount: 25, currency: "EUR", basis: .accepted)))
        routeID = try await store.save(
            OfferRoute(
                offerID: "7", integration: "irev",
                params: ["base_url": .string(emulators.baseURL(.irev)), "api_token": .string(c.irevToken)],
                secretParams: ["api_token"], postbackToken: "t-irev")
        ).id
        let loopback = try XCTUnwrap(IPRange(from: "127.0.0.1"))
        try await store.save(Employee(id: "E1", name: "Ops", role: .admin))
        token = try await store.issueEmployeeKey(employeeID: "E1", allowlist: [loopback], expiresAt: Date().timeIntervalSince1970 + 600)
            .1.text
        var quiet = Logger(label: "test-window-leads")
        quiet.logLevel = .critical
        let loaded = scripts!
        server = try await LeadRelayServer.start(
            .init(host: "127.0.0.1", port: 0),
            parts: .init(store: store, dispatcher: nil, scripts: loaded, integrations: { loaded.names.count }), logger: quiet)
    }

    override func tearDown() async throws {
        await server.stop()
        client.shutdown()
        scripts.shutdown()
        transport.shutdown()
        await emulators.stop()
        temporary.remove()
    }

    func call(_ method: String, _ path: String, _ body: String = "") async -> (status: Int, json: JSONValue?) {
        let answer = await client.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)",
                headers: [("content-type", "application/json"), ("authorization", "Bearer \(token)")], body: Array(body.utf8),
                timeout: 10))
        return (answer.status, try? JSONValue.parse(answer.body))
    }

    /// From today to the end of tomorrow (UTC days), the reports' range.
    var range: String {
        let now = Date().timeIntervalSince1970
        return "from=\(ISO8601.format(Int64(now)).prefix(10))&to=\(ISO8601.format(Int64(now + 86_400)).prefix(10))"
    }

    func ids(_ json: JSONValue?) -> [String] { (json?["leads"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue } }

    static let lead =
        #"{"first_name": "Anna", "last_name": "Test", "email": "window@example.com", "phone": "+4915112345678", "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass"}"#

    func testADryRunStoresNothing() async throws {
        let dry = await call("POST", "/api/v1/offers/7/test", #"{"lead": \#(Self.lead)}"#)
        XCTAssertEqual(dry.status, 200, "\(String(describing: dry.json))")
        XCTAssertNil(dry.json?["lead_id"], "a dry run keeps no lead")
        let report = await call("GET", "/api/v1/reports/leads?\(range)&include_test=true")
        XCTAssertEqual(report.status, 200, "\(String(describing: report.json))")
        XCTAssertEqual(ids(report.json), [])
    }

    func testALiveCallIsKeptAsATestLeadOutOfReportsUnlessAskedForAndNeverPaidOrSentAgain() async throws {
        let live = await call("POST", "/api/v1/offers/7/test", #"{"lead": \#(Self.lead), "mode": "live"}"#)
        XCTAssertEqual(live.status, 200, "\(String(describing: live.json))")
        XCTAssertEqual(live.json?["outcome"], .string("accepted"))
        let id = try XCTUnwrap(live.json?["lead_id"]?.stringValue, "a live call names the test lead it kept")

        let found = try await store.lead(id: id)
        let stored = try XCTUnwrap(found)
        XCTAssertTrue(stored.isTest)
        XCTAssertEqual(stored.state, .accepted)
        XCTAssertEqual(stored.fields["password"]?.stringValue, "Xy7!pass", "kept sealed, opened for the store's reader")
        let attempts = try await store.attempts(leadID: id)
        XCTAssertEqual(attempts.map(\.routeID), [routeID])
        XCTAssertFalse(attempts.first?.report.encoded().contains(emulators.configuration.credentials.irevToken) ?? true)
        XCTAssertEqual(emulators.store.leads(.irev).first?.fields["is_test"], "true")

        let claimed = try await store.claimDue(now: Date().timeIntervalSince1970 + 3600, limit: 10, owner: "p", leaseSeconds: 30)
        XCTAssertEqual(claimed.map(\.id), [], "final at once: no dispatcher sends it again")
        let capped = try await store.acceptedCount(routeID: routeID, since: 0, excludingRun: "other")
        XCTAssertEqual(capped, 0, "a test counts against no daily cap")
        let duplicate = try await store.duplicate(offerID: "7", email: "window@example.com", phone: "4915112345678", since: 0)
        XCTAssertNil(duplicate, "a test lead makes no later lead a duplicate")

        let plain = await call("GET", "/api/v1/reports/leads?\(range)")
        XCTAssertEqual(plain.status, 200, "\(String(describing: plain.json))")
        XCTAssertEqual(ids(plain.json), [], "out of the report by default")
        let asked = await call("GET", "/api/v1/reports/leads?\(range)&include_test=true")
        XCTAssertEqual(ids(asked.json), [id])
        let row = asked.json?["leads"]?.arrayValue?.first
        XCTAssertEqual(row?["is_test"], .bool(true))
        XCTAssertEqual(row?["state"], .string("accepted"))
        XCTAssertEqual(row?["payout"], .null, "a test lead earns no payout")
        XCTAssertEqual(row?["route_id"], .integer(routeID))

        let summary = await call("GET", "/api/v1/reports/summary?\(range)")
        XCTAssertEqual(summary.json?["totals"]?["leads"], .integer(0))
        let withTests = await call("GET", "/api/v1/reports/summary?\(range)&include_test=true")
        XCTAssertEqual(withTests.json?["totals"]?["leads"], .integer(1))
        XCTAssertEqual(withTests.json?["totals"]?["outcomes"]?["accepted"], .integer(1))
        XCTAssertEqual(withTests.json?["totals"]?["payouts"], .object([:]), "counted, never paid")
    }

    func testAFailedLiveCallIsHeldAsATestLeadThatIsNeverRedelivered() async throws {
        let broken = try await store.save(
            OfferRoute(
                offerID: "7", integration: "irev",
                params: ["base_url": .string("http://127.0.0.1:1"), "api_token": .string("t")], secretParams: ["api_token"],
                priority: 1, postbackToken: "t-broken"))
        let live = await call("POST", "/api/v1/offers/7/test", #"{"lead": \#(Self.lead), "mode": "live", "route_id": \#(broken.id)}"#)
        XCTAssertEqual(live.status, 200, "\(String(describing: live.json))")
        let id = try XCTUnwrap(live.json?["lead_id"]?.stringValue)
        let found = try await store.lead(id: id)
        let stored = try XCTUnwrap(found)
        XCTAssertEqual(stored.state, .error, "a test call is never retried: \(String(describing: live.json?["outcome"]))")
        let held = try await store.held(HeldLeads())
        XCTAssertEqual(held, [String](), "a test lead is not offered for redelivery")
    }
}
