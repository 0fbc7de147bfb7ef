import Foundation
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Every bundled script's status checks against its emulator: leads delivered through one
/// offer per network, polled (processing, then approved) once the emulators' timeline moved
/// them to deposited, and their stages stored.
final class StatusSandboxNetworksTests: XCTestCase {
    func testEveryNetworksLeadsArePolledToTheirStage() async throws {
        let temporary = try TemporaryDirectory("status-networks")
        defer { temporary.remove() }
        let clock = ManualEmulatorClock(start: Date().timeIntervalSince1970)
        let emulators = try await EmulatorServer.start(.init(postbackInterval: 0, clock: clock))
        let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        let scripts = try IntegrationDirectory(path: BundledManifests.directory, transport: transport)
        _ = try scripts.rescan()
        let store = try temporary.sealedStore()
        let c = emulators.configuration.credentials
        let params: [String: [String: JSONValue]] = [
            "clixnow": ["base_url": .string(emulators.baseURL(.clixnow) + "/api/system/v1"), "api_token": .string(c.clixnowToken)],
            "irev": [
                "base_url": .string(emulators.baseURL(.irev)), "api_token": .string(c.irevToken), "affiliate_id": "2", "offer_id": "1",
            ],
            "trackbox": [
                "base_url": .string(emulators.baseURL(.trackbox)), "username": .string(c.trackboxUsername),
                "password": .string(c.trackboxPassword), "api_key": .string(c.trackboxAPIKey),
                "pull_api_key": .string(c.trackboxPullAPIKey), "ai": "1", "gi": "1",
            ],
            "altercpa": ["base_url": .string(emulators.baseURL(.altercpa)), "api_key": .string(c.altercpaKey), "offer_id": "1"],
        ]
        var leads: [String: [String]] = [:]
        var n = 0
        for (network, given) in params.sorted(by: { $0.key < $1.key }) {
            let pool = try XCTUnwrap(scripts.pool(network))
            try await store.save(StoredOffer(id: network, name: network))
            _ = try await store.save(
                OfferRoute(
                    offerID: network, integration: network, params: given,
                    secretParams: Set(pool.manifest.params.filter(\.secret).map(\.name)), postbackToken: "t-\(network)",
                    status: StatusSchedule(checks: [.processing, .approved])))
            for _ in 0..<2 {
                n += 1
                let fields: JSONValue = .object([
                    "first_name": "Anna", "last_name": "Schmidt", "email": .string("anna\(n)@example.com"),
                    "phone": .string("+49 151 1234\(1000 + n)"), "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass1",
                ])
                guard case .inserted(let lead) = try await store.insert(NewLead(offerID: network, fields: fields, receivedAt: clock.now()))
                else { return XCTFail("not inserted") }
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

        // The service's clock is the emulators': the networks' listings are windows of time.
        let scheduler = StatusScheduler(store: store, pools: { scripts.pool($0) }, clock: EmulatorTime(clock: clock))
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
        for (network, ids) in leads {
            for id in ids {
                let history = try await store.statusHistory(leadID: id)
                XCTAssertEqual(history.stage, .approve, "\(network): \(history.entries)")
            }
        }
        transport.shutdown()
        scripts.shutdown()
        await emulators.stop()
    }
}

/// The emulators' manual clock as the service's clock.
struct EmulatorTime: DeliveryClock {
    let clock: ManualEmulatorClock
    func now() -> Double { clock.now() }
    func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void) {}
}
