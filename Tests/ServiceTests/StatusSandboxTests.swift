import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import NetworkEmulators
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Statuses end to end on loopback: leads posted to the intake, delivered by the dispatcher
/// through the bundled clixnow script to the Clixnow emulator, whose leads move on a
/// timeline driven by a manual clock; their stages come back by the scheduler's polling and
/// by the emulator's postbacks, and `GET /api/v1/leads/{id}` shows them.
final class StatusSandboxTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var scripts: IntegrationDirectory!
    var server: LeadRelayServer!
    var emulators: EmulatorServer!
    let clock = ManualEmulatorClock(start: Date().timeIntervalSince1970)
    let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var token = ""

    override func setUp() async throws {
        temporary = try TemporaryDirectory("status-sandbox")
        store = try temporary.sealedStore()
        scripts = try IntegrationDirectory(path: BundledManifests.directory, transport: transport)
        _ = try scripts.rescan()
        let scripts = self.scripts!
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { scripts.pool($0) },
            configuration: .init(owner: "status-e2e", idleSeconds: 0.02))
        var quiet = Logger(label: "status-e2e")
        quiet.logLevel = .critical
        let parts = LeadRelayServer.Parts(
            store: store, dispatcher: dispatcher, pools: { scripts.pool($0) }, logger: quiet, integrations: { scripts.names.count })
        server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), parts: parts, logger: quiet)
        emulators = try await EmulatorServer.start(
            .init(postbackURL: "http://127.0.0.1:\(server.port)/postback/clixnow/t-clix", postbackInterval: 0, clock: clock))
        let clixnow = try XCTUnwrap(scripts.pool("clixnow"))
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await store.save(
            OfferRoute(
                offerID: "7", integration: "clixnow",
                params: [
                    "base_url": .string(emulators.baseURL(.clixnow) + "/api/system/v1"),
                    "api_token": .string(emulators.configuration.credentials.clixnowToken),
                ],
                secretParams: Set(clixnow.manifest.params.filter(\.secret).map(\.name)), postbackToken: "t-clix"))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        token = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads, .readLeads], allowlist: [try XCTUnwrap(IPRange(from: "127.0.0.1"))],
            expiresAt: Date().timeIntervalSince1970 + 3600
        ).1.text
    }

    override func tearDown() async throws {
        await server.stop()
        await emulators.stop()
        scripts.shutdown()
        transport.shutdown()
        temporary.remove()
    }

    func send(_ method: String, _ path: String, _ body: String = "") async -> (status: Int, json: JSONValue?) {
        let response = await transport.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)",
                headers: [("content-type", "application/json"), ("authorization", "Bearer \(token)")], body: Array(body.utf8),
                timeout: 10))
        return (response.status, try? JSONValue.parse(response.body))
    }

    /// Posts `count` leads and waits until each is accepted by the emulator.
    func postAndDeliver(_ count: Int) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            let body = """
                {"offer_id": "7", "first_name": "Anna", "last_name": "Schmidt", "email": "anna\(n)@example.com",
                 "phone": "+49 151 1234\(1000 + n)", "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass1"}
                """
            let posted = await send("POST", "/api/v1/leads", body)
            XCTAssertEqual(posted.status, 202, "\(String(describing: posted.json))")
            ids.append(try XCTUnwrap(posted.json?["id"]?.stringValue))
        }
        for _ in 0..<500 {
            var states: [DeliveryState] = []
            for id in ids { if let lead = try await store.lead(id: id) { states.append(lead.state) } }
            if states.count == count, states.allSatisfy(\.isFinal) { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        for id in ids {
            let lead = try await store.lead(id: id)
            XCTAssertEqual(lead?.state, .accepted, lead?.outcome?.message ?? "")
        }
        return ids
    }

    func testDeliveredLeadsArePolledAndTheirStagesShown() async throws {
        let ids = try await postAndDeliver(3)
        let scheduler = StatusScheduler(store: store, pools: { [scripts] in scripts?.pool($0) })
        var runs = await scheduler.runDue()
        XCTAssertEqual(runs.first?.checks.first?.leads, 3)
        XCTAssertEqual(runs.first?.checks.first?.recording.changes.map(\.to), [.wait, .wait, .wait])
        clock.advance(by: 200)  // the emulator's timeline: deposited after 180 s
        _ = scheduler.state.withLock { $0.nextRun.removeAll() }
        runs = await scheduler.runDue()
        XCTAssertNil(runs.first?.checks.first?.failure)
        XCTAssertEqual(runs.first?.checks.first?.recording.changes.map(\.to), [.approve, .approve, .approve])
        let history = try await store.statusHistory(leadID: ids[0])
        XCTAssertEqual(history.stage, .approve)
        XCTAssertEqual(history.entries.last?.source, .processing)
        let shown = await send("GET", "/api/v1/leads/\(ids[0])")
        XCTAssertEqual(shown.json?["stage"], .string("approve"))
        XCTAssertEqual(shown.json?["stages"]?.arrayValue?.compactMap { $0["stage"]?.stringValue }, ["wait", "approve"])
        let stages = shown.json?["stages"]?.encoded() ?? ""
        XCTAssertFalse(stages.contains("Deposited") || stages.contains("clixnow"), "neutral: no network wording: \(stages)")
        for key in ["status", "comment", "amount", "route", "integration", "external_id"] {
            XCTAssertNil(shown.json?[key], "neutral: no \(key)")
        }
        runs = await scheduler.runDue()
        XCTAssertEqual(runs, [], "not due again before the route's interval")
    }

    func testPostbacksFromTheSandboxMoveTheStageAndUnknownAddressesStoreNothing() async throws {
        let ids = try await postAndDeliver(2)
        let external = try await store.attempts(leadID: ids[0]).last?.outcome.externalID
        let wrongToken = await send("GET", "/postback/clixnow/not-a-token?id=\(external ?? "")&status=FTD")
        XCTAssertEqual(wrongToken.status, 404)
        let wrongIntegration = await send("GET", "/postback/irev/t-clix?id=\(external ?? "")&status=FTD")
        XCTAssertEqual(wrongIntegration.status, 404)
        var history = try await store.statusHistory(leadID: ids[0])
        XCTAssertEqual(history.entries, [], "nothing stored for an unknown address")

        clock.advance(by: 70)
        let first = await emulators.deliverDuePostbacks()
        XCTAssertEqual(first, 2, "no answer, for both leads")
        clock.advance(by: 200)
        let second = await emulators.deliverDuePostbacks()
        XCTAssertEqual(second, 2, "deposited, for both leads")
        history = try await store.statusHistory(leadID: ids[0])
        XCTAssertEqual(history.stage, .approve)
        XCTAssertEqual(history.entries.map(\.source), [.postback, .postback])
        XCTAssertEqual(history.entries.map(\.status), ["No Answer", "Deposited"])
        XCTAssertEqual(history.entries.last?.amount, 10)
        XCTAssertEqual(history.entries.last?.currency, "USD")
        XCTAssertNotNil(history.entries.last?.at, "the network's time of the change")
        let shown = await send("GET", "/api/v1/leads/\(ids[1])")
        XCTAssertEqual(shown.json?["stage"], .string("approve"))
        XCTAssertEqual(shown.json?["stages"]?.arrayValue?.compactMap { $0["stage"]?.stringValue }, ["wait", "approve"])
        XCTAssertNil(shown.json?["amount"], "the buyer's revenue is not the affiliate's to see")
    }
}
