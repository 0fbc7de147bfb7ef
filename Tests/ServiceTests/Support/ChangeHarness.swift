import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import NetworkEmulators
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// A service on loopback for the changes of delivered leads: the bundled scripts, the
/// sandbox's emulators, offer 7 pushing through altercpa (route `push`), offer 8 pushing
/// through irev (whose script has no `update`), affiliates A1 (both offers) and A2 (offer 7)
/// with keys, a dispatcher and a change dispatcher.
final class ChangeHarness {
    let temporary: TemporaryDirectory
    let emulators: EmulatorServer
    let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    let scripts: IntegrationDirectory
    let store: SQLiteStore
    var server: LeadRelayServer!
    var changes: ChangeDispatcher!
    var push: OfferRoute!
    var token = ""
    var otherToken = ""

    init(label: String) async throws {
        temporary = try TemporaryDirectory(label)
        emulators = try await EmulatorServer.start(EmulatorServer.Configuration(postbackInterval: 0))
        scripts = try IntegrationDirectory(path: BundledManifests.directory, transport: transport)
        _ = try scripts.rescan()
        store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Shop DE"))
        try await store.save(StoredOffer(id: "8", name: "Crypto DE"))
        push = try await store.save(route(offer: "7", integration: "altercpa", params: altercpaParams, token: "t-push"))
        let irev = StatusSandboxNetworksTests.params(emulators)[.irev] ?? [:]
        _ = try await store.save(route(offer: "8", integration: "irev", params: irev, token: "t-irev"))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7", "8"]))
        try await store.save(Affiliate(id: "A2", name: "Other Buyer", offers: ["7"]))
        token = try await key("A1")
        otherToken = try await key("A2")
    }

    var altercpaParams: [String: JSONValue] {
        let c = emulators.configuration.credentials
        return [
            "base_url": .string(emulators.baseURL(.altercpa)), "api_key": .string(c.altercpaKey), "offer_id": "1",
            "merchant_key": .string(c.altercpaMerchantKey),
        ]
    }

    func route(offer: String, integration: String, params: [String: JSONValue], token: String, onApprove: Bool = false) throws
        -> OfferRoute
    {
        let pool = try XCTUnwrap(scripts.pool(integration))
        var route = OfferRoute(
            offerID: offer, integration: integration, params: params,
            secretParams: Set(pool.manifest.params.filter(\.secret).map(\.name)), postbackToken: token)
        route.onApprove = onApprove
        return route
    }

    private func key(_ affiliate: String) async throws -> String {
        try await store.issueKey(
            affiliateID: affiliate, permissions: [.createLeads, .readLeads], allowlist: [IPRange(from: "127.0.0.1")!],
            expiresAt: Date().timeIntervalSince1970 + 600
        ).1.text
    }

    /// Starts the server with its dispatchers (`owner` names their leases).
    func start(owner: String = "changes") async throws {
        let scripts = self.scripts
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { scripts.pool($0) }, configuration: .init(owner: owner, idleSeconds: 0.02))
        changes = ChangeDispatcher(
            store: store, offers: store, runner: { scripts.pool($0) }, configuration: .init(owner: owner, idleSeconds: 0.02))
        var parts = LeadRelayServer.Parts(
            store: store, dispatcher: dispatcher, routes: RouteSetup(directory: scripts), scripts: scripts, integrations: { 4 })
        parts.changes = changes
        var quiet = Logger(label: "changes")
        quiet.logLevel = .critical
        server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), parts: parts, logger: quiet)
    }

    func stop() async {
        await server?.stop()
        scripts.shutdown()
        transport.shutdown()
        await emulators.stop()
        temporary.remove()
    }

    /// A call to the service; the status and the decoded answer.
    func call(
        _ method: String, _ path: String, body: String = "", type: String = "application/json", token: String? = nil,
        headers: [(String, String)] = []
    ) async -> (status: Int, json: JSONValue?) {
        let answer = await transport.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)",
                headers: [("content-type", type), ("authorization", "Bearer \(token ?? self.token)")] + headers, body: Array(body.utf8),
                timeout: 15))
        return (answer.status, try? JSONValue.parse(answer.body))
    }

    /// Posts a lead to `offer`; its id.
    func post(offer: String = "7", phone: String, extra: String = "", query: String = "") async throws -> (Int, JSONValue?) {
        let body = """
            {"offer_id": "\(offer)", "first_name": "Anna", "last_name": "Schmidt", "email": "anna\(phone)@example.com",
             "phone": "\(phone)", "country": "DE", "ip": "203.0.113.7"\(extra)}
            """
        let answer = await call("POST", "/api/v1/leads\(query)", body: body)
        return (answer.status, answer.json)
    }

    /// Polls until `check` holds (at most about 10 s); the last value read.
    func eventually<T>(_ read: () async throws -> T, until check: (T) -> Bool) async throws -> T {
        var value = try await read()
        for _ in 0..<500 where !check(value) {
            try await Task.sleep(nanoseconds: 20_000_000)
            value = try await read()
        }
        return value
    }

    /// Posts a lead to `offer` and waits for it to be accepted; its id.
    func acceptedLead(offer: String = "7", phone: String) async throws -> String {
        let (status, json) = try await post(offer: offer, phone: phone)
        XCTAssertEqual(status, 202, "\(String(describing: json))")
        let id = try XCTUnwrap(json?["id"]?.stringValue)
        let lead = try await eventually({ try await store.lead(id: id) }, until: { $0?.state.isFinal == true })
        XCTAssertEqual(lead?.state, .accepted, lead?.outcome?.message ?? "")
        return id
    }

    /// The network's id for an accepted lead.
    func externalID(_ leadID: String) async throws -> String {
        let acceptance = try await store.acceptance(leadID: leadID)
        return try XCTUnwrap(acceptance?.externalID)
    }

    /// Waits for the change to reach a final state.
    func finalChange(_ id: String) async throws -> StoredChange? {
        try await eventually({ try await store.change(id: id) }, until: { $0?.state.isFinal == true })
    }
}
