import Foundation
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Leads stored, routed by their offer's stored route and delivered by the dispatcher
/// through the bundled trackbox script to the Trackbox emulator on loopback.
final class ServiceEndToEndTests: XCTestCase {
    static var integrationsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("integrations").path
    }

    func testStoredLeadsReachTheEmulatorOnceEachThroughTheirRoute() async throws {
        let temporary = try TemporaryDirectory("e2e")
        defer { temporary.remove() }
        let emulators = try await EmulatorServer.start(EmulatorServer.Configuration(postbackInterval: 0))
        let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        let scripts = try IntegrationDirectory(path: Self.integrationsDirectory, transport: transport)
        _ = try scripts.rescan()
        let store = try temporary.sealedStore()
        let trackbox = try XCTUnwrap(scripts.pool("trackbox"))
        let c = emulators.configuration.credentials
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await store.save(
            OfferRoute(
                offerID: "7", integration: "trackbox",
                params: [
                    "base_url": .string(emulators.baseURL(.trackbox)), "username": .string(c.trackboxUsername),
                    "password": .string(c.trackboxPassword), "api_key": .string(c.trackboxAPIKey),
                    "pull_api_key": .string(c.trackboxPullAPIKey), "ai": "1", "gi": "1",
                ],
                secretParams: Set(trackbox.manifest.params.filter(\.secret).map(\.name)), postbackToken: "t-1"))
        var ids: [String] = []
        for n in 0..<20 {
            let fields: JSONValue = .object([
                "first_name": "Anna", "last_name": "Schmidt", "email": .string("anna\(n)@example.com"),
                "phone": .string("+49 151 1234\(1000 + n)"), "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass",
            ])
            guard
                case .inserted(let lead) = try await store.insert(
                    NewLead(offerID: "7", fields: fields, receivedAt: Date().timeIntervalSince1970))
            else { return XCTFail("not inserted") }
            ids.append(lead.id)
        }
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { scripts.pool($0) },
            configuration: .init(owner: "e2e", idleSeconds: 0.02))
        let running = Task { await dispatcher.run() }
        var leads: [StoredLead] = []
        for _ in 0..<1000 {
            leads = []
            for id in ids { if let lead = try await store.lead(id: id) { leads.append(lead) } }
            if leads.allSatisfy(\.state.isFinal) { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        dispatcher.stop()
        await running.value
        XCTAssertEqual(
            leads.map(\.state), Array(repeating: .accepted, count: 20), leads.compactMap(\.outcome?.message).joined(separator: "; "))
        XCTAssertEqual(emulators.store.leads(.trackbox).count, 20, "each lead reached the network once")
        let attempts = try await store.attempts(leadID: ids[0])
        let printed = attempts.first?.report.encoded() ?? ""
        XCTAssertTrue(printed.contains("exchanges"), printed)
        XCTAssertFalse(printed.contains(c.trackboxPassword), "the stored attempt is masked")
        for name in ["api_key", "password", "lead.password"] {
            XCTAssertTrue(printed.contains("***\(name)***"), "a masked value names its parameter: \(name) in \(printed)")
        }
        transport.shutdown()
        for pool in ["trackbox", "irev", "clixnow", "altercpa"].compactMap({ scripts.pool($0) }) { pool.shutdown() }
        await emulators.stop()
    }
}
