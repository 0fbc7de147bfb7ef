import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import NetworkEmulators
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Every bundled script's status checks and postbacks against its emulator: leads delivered
/// through one offer per network, then, once the emulators' timeline moved them to
/// deposited, polled (processing, then approved) or posted back, and their stages stored.
final class StatusSandboxNetworksTests: XCTestCase {
    static let networks: [EmulatedNetwork] = [.altercpa, .clixnow, .irev, .trackbox]

    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var scripts: IntegrationDirectory!
    let clock = ManualEmulatorClock(start: Date().timeIntervalSince1970)
    let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("status-networks")
        store = try temporary.sealedStore()
        scripts = try IntegrationDirectory(path: BundledManifests.directory, transport: transport)
        _ = try scripts.rescan()
    }

    override func tearDownWithError() throws {
        scripts.shutdown()
        transport.shutdown()
        temporary.remove()
    }

    /// The offer parameters that point each script at its emulator.
    static func params(_ emulators: EmulatorServer) -> [EmulatedNetwork: [String: JSONValue]] {
        let c = emulators.configuration.credentials
        return [
            .clixnow: ["base_url": .string(emulators.baseURL(.clixnow) + "/api/system/v1"), "api_token": .string(c.clixnowToken)],
            .irev: [
                "base_url": .string(emulators.baseURL(.irev)), "api_token": .string(c.irevToken), "affiliate_id": "2", "offer_id": "1",
            ],
            .trackbox: [
                "base_url": .string(emulators.baseURL(.trackbox)), "username": .string(c.trackboxUsername),
                "password": .string(c.trackboxPassword), "api_key": .string(c.trackboxAPIKey),
                "pull_api_key": .string(c.trackboxPullAPIKey), "ai": "1", "gi": "1",
            ],
            .altercpa: ["base_url": .string(emulators.baseURL(.altercpa)), "api_key": .string(c.altercpaKey), "offer_id": "1"],
        ]
    }

    /// One offer per network with a route to its emulator (postback token `t-<network>`),
    /// two leads each delivered and accepted; the leads' ids by network.
    func deliverTwoLeadsPerNetwork(_ emulators: EmulatorServer, status: StatusSchedule) async throws -> [EmulatedNetwork: [String]] {
        let params = Self.params(emulators)
        let scripts = self.scripts!
        var leads: [EmulatedNetwork: [String]] = [:]
        var n = 0
        for network in Self.networks {
            let name = network.rawValue
            let pool = try XCTUnwrap(scripts.pool(name))
            try await store.save(StoredOffer(id: name, name: name))
            _ = try await store.save(
                OfferRoute(
                    offerID: name, integration: name, params: params[network] ?? [:],
                    secretParams: Set(pool.manifest.params.filter(\.secret).map(\.name)), postbackToken: "t-\(name)", status: status))
            for _ in 0..<2 {
                n += 1
                let fields: JSONValue = .object([
                    "first_name": "Anna", "last_name": "Schmidt", "email": .string("anna\(n)@example.com"),
                    "phone": .string("+49 151 1234\(1000 + n)"), "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass1",
                ])
                guard case .inserted(let lead) = try await store.insert(NewLead(offerID: name, fields: fields, receivedAt: clock.now()))
                else { throw StoreError.unavailable("not inserted") }
                leads[network, default: []].append(lead.id)
            }
        }
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { scripts.pool($0) },
            configuration: .init(owner: "status-networks", idleSeconds: 0.02))
        let running = Task { await dispatcher.run() }
        let all = leads.values.flatMap { $0 }
        for _ in 0..<500 {
            var final = 0
            for id in all where try await store.lead(id: id)?.state.isFinal == true { final += 1 }
            if final == all.count { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        dispatcher.stop()
        await running.value
        for id in all {
            let lead = try await store.lead(id: id)
            XCTAssertEqual(lead?.state, .accepted, "\(id): \(lead?.outcome?.message ?? "")")
        }
        return leads
    }

    func assertApproved(_ leads: [EmulatedNetwork: [String]], source: StatusSource) async throws {
        XCTAssertEqual(Set(leads.keys), Set(Self.networks))
        for (network, ids) in leads {
            for id in ids {
                let history = try await store.statusHistory(leadID: id)
                XCTAssertEqual(history.stage, .approve, "\(network): \(history.entries)")
                XCTAssertEqual(history.entries.last?.source, source, "\(network)")
            }
        }
    }

    func testEveryNetworksLeadsArePolledToTheirStage() async throws {
        let emulators = try await EmulatorServer.start(.init(postbackInterval: 0, clock: clock))
        let leads = try await deliverTwoLeadsPerNetwork(emulators, status: StatusSchedule(checks: [.processing, .approved]))
        // The service's clock is the emulators': the networks' listings are windows of time.
        let scheduler = StatusScheduler(store: store, pools: { [scripts] in scripts?.pool($0) }, clock: EmulatorTime(clock: clock))
        clock.advance(by: 200)  // deposited after 180 s
        let runs = await scheduler.runDue()
        XCTAssertEqual(runs.count, 4)
        for run in runs {
            XCTAssertEqual(run.checks.map(\.check), [.processing, .approved])
            for check in run.checks {
                // The approved check asks about the leads the processing check just approved.
                XCTAssertNil(check.failure, "\(run.integration): \(String(describing: check.failure))")
                XCTAssertEqual(check.leads, 2, "\(run.integration) \(check.check)")
                XCTAssertEqual(check.recording.unknown, [], run.integration)
            }
        }
        try await assertApproved(leads, source: .processing)
        await emulators.stop()
    }

    func testEveryNetworksPostbacksReachTheirRoute() async throws {
        var quiet = Logger(label: "status-networks")
        quiet.logLevel = .critical
        let scripts = self.scripts!
        let parts = LeadRelayServer.Parts(
            store: store, dispatcher: nil, pools: { scripts.pool($0) }, logger: quiet, integrations: { scripts.names.count })
        let server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), parts: parts, logger: quiet)
        var configuration = EmulatorServer.Configuration(postbackInterval: 0, clock: clock)
        for network in Self.networks {
            configuration.networkPostbackURLs[network] =
                "http://127.0.0.1:\(server.port)/postback/\(network.rawValue)/t-\(network.rawValue)"
        }
        let emulators = try await EmulatorServer.start(configuration)
        let leads = try await deliverTwoLeadsPerNetwork(emulators, status: StatusSchedule(checks: []))
        clock.advance(by: 200)
        let sent = await emulators.deliverDuePostbacks()
        XCTAssertEqual(sent, 8, "one postback per lead: it skipped no answer, deposited is its newest state")
        try await assertApproved(leads, source: .postback)
        await emulators.stop()
        await server.stop()
    }
}

/// The emulators' manual clock as the service's clock.
struct EmulatorTime: DeliveryClock {
    let clock: ManualEmulatorClock
    func now() -> Double { clock.now() }
    func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void) {}
}
