import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import OutboundHTTP
import XCTest

/// The bundled script `name` (from the package's integrations/ folder) in an
/// `IntegrationPool` over `LiveTransport`, pointed at the running emulators.
final class ScriptHarness: @unchecked Sendable {
    let pool: IntegrationPool
    let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    let params: [String: JSONValue]
    let emulators: EmulatorHarness

    static var integrationsDirectory: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("integrations").path
    }

    init(_ name: String, emulators: EmulatorHarness, params: [String: String]) throws {
        let catalog = try IntegrationCatalog.scan(Self.integrationsDirectory)
        pool = try IntegrationPool(catalog: catalog, name: name, transport: transport, workers: 1)
        self.params = params.mapValues(JSONValue.string)
        self.emulators = emulators
    }

    func shutdown() {
        pool.shutdown()
        transport.shutdown()
    }

    var now: Int64 { Int64(emulators.clock.now()) }

    /// A lead like the fixtures' (Anna Schmidt), with `changes` applied.
    static func lead(_ changes: [String: JSONValue] = [:]) -> JSONValue {
        var lead: [String: JSONValue] = [
            "id": "L-1001", "created_at": "2026-01-01T00:00:00Z", "first_name": "Anna", "last_name": "Schmidt",
            "email": "anna@example.com", "phone": "+49 151 12345678", "country": "DE", "language": "de",
            "ip": "203.0.113.7", "password": "Xy7!pass", "affiliate_id": "17", "sub_id": "spring-sale",
            "click_id": "c-9f2a", "funnel": "crypto-quiz", "landing_url": "https://lp.example/quiz",
        ]
        for (key, value) in changes { lead[key] = value.isNull ? nil : value }
        return .object(lead)
    }

    func deliver(_ action: Action, _ lead: JSONValue = ScriptHarness.lead(), params extra: [String: String] = [:]) async -> Outcome? {
        var params = self.params
        for (k, v) in extra { params[k] = .string(v) }
        let result = await pool.run(CallInput(action: action, subject: .lead(lead), params: params, now: now))
        return result.outcome
    }

    func check(_ check: StatusCheck, externalIDs: [String] = [], from: String? = nil, to: String? = nil) async -> CallResult {
        let leads: [JSONValue] = externalIDs.enumerated().map { index, id in
            .object(["id": .string("L-\(index)"), "external_id": .string(id), "created_at": "2026-01-01T00:00:00Z"])
        }
        let query: StatusScope
        switch check {
        case .processing: query = .processing(leads: leads)
        case .approved: query = .approved(leads: leads)
        case .range: query = .range(from: from ?? "", to: to ?? "")
        }
        return await pool.run(CallInput(action: .status, subject: .status(query), params: params, now: now))
    }
}

/// Starts the emulators and a script harness per test; stops both in `tearDown`.
class EndToEndTestCase: EmulatorTestCase {
    private var scripts: [ScriptHarness] = []

    func script(_ name: String, emulators: EmulatorHarness, params: [String: String]) throws -> ScriptHarness {
        let harness = try ScriptHarness(name, emulators: emulators, params: params)
        scripts.append(harness)
        return harness
    }

    override func tearDown() async throws {
        for script in scripts { script.shutdown() }
        scripts = []
        try await super.tearDown()
    }
}
