import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Synchronous registration: a post with `?wait=N` runs the routes' `register` action (a
/// route whose script has none is skipped) and answers as Track360's test window shows,
/// or 202 with the id when the wait runs out.
final class SyncRegistrationTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var scripts: IntegrationDirectory!
    var server: LeadRelayServer!
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var token = ""

    /// A script that answers without HTTP: `pushonly` has no register action; `registers`
    /// answers a registration with its login URL, and rejects e-mail addresses with "taken".
    static func script(_ name: String, actions: String) -> String {
        """
        local outcome = require("lib.outcome")
        local M = { name = "\(name)", title = "\(name)", actions = { \(actions) }, params = {} }
        function M.prepare(lead, ctx)
          if string.find(lead.email or "", "taken", 1, true) then return outcome.rejected("duplicate", "E-mail taken at the buyer") end
          if string.find(lead.email or "", "slow", 1, true) then return outcome.retry("unavailable", "try later", 30) end
          return outcome.accepted("X-" .. lead.id, ctx.action == "register" and "https://login.example/" .. lead.id or nil)
        end
        function M.parse_status(response, ctx) return outcome.rejected("unknown", "no request expected") end
        return M
        """
    }

    override func setUp() async throws {
        temporary = try TemporaryDirectory("sync")
        let folder = temporary.path + "/integrations"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ServiceEndToEndTests.integrationsDirectory + "/lib", toPath: folder + "/lib")
        try Self.script("pushonly", actions: #""push""#).write(toFile: folder + "/pushonly.lua", atomically: true, encoding: .utf8)
        try Self.script("registers", actions: #""push", "register""#).write(
            toFile: folder + "/registers.lua", atomically: true, encoding: .utf8)
        scripts = try IntegrationDirectory(path: folder, transport: client)
        let changes = try scripts.rescan()
        XCTAssertEqual(scripts.names, ["pushonly", "registers"], "\(changes)")
        store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        _ = try await store.save(OfferRoute(offerID: "7", integration: "pushonly", priority: 1, postbackToken: "t-1"))
        _ = try await store.save(OfferRoute(offerID: "7", integration: "registers", priority: 2, postbackToken: "t-2"))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        token = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads, .readLeads], allowlist: [IPRange(from: "127.0.0.1")!],
            expiresAt: Date().timeIntervalSince1970 + 600
        ).1.text
        let scripts = self.scripts!
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { scripts.pool($0) }, configuration: .init(owner: "sync", idleSeconds: 0.02))
        var quiet = Logger(label: "sync")
        quiet.logLevel = .critical
        server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), store: store, dispatcher: dispatcher, logger: quiet)
    }

    override func tearDown() async throws {
        await server.stop()
        scripts.shutdown()
        client.shutdown()
        temporary.remove()
    }

    func post(_ email: String, query: String = "?wait=5") async -> (status: Int, json: JSONValue?) {
        let body = #"{"offer_id": "7", "first_name": "Anna", "email": "\#(email)", "country": "DE"}"#
        let answer = await client.perform(
            OutboundRequest(
                method: "POST", url: "http://127.0.0.1:\(server.port)/api/v1/leads\(query)",
                headers: [("content-type", "application/json"), ("authorization", "Bearer \(token)")], body: Array(body.utf8),
                timeout: 15))
        return (answer.status, try? JSONValue.parse(answer.body))
    }

    func testARegistrationAnswersWithTheLoginURLThroughARouteThatCanRegister() async throws {
        let answer = await post("anna@example.com")
        XCTAssertEqual(answer.status, 200, "\(String(describing: answer.json))")
        XCTAssertEqual(answer.json?["success"], .bool(true))
        let id = try XCTUnwrap(answer.json?["id"]?.stringValue)
        XCTAssertEqual(answer.json?["autoLoginUrl"], .string("https://login.example/\(id)"))
        let attempts = try await store.attempts(leadID: id)
        XCTAssertEqual(attempts.map(\.integration), ["registers"], "the route without register was skipped")
        let plain = await post("bob@example.com", query: "")
        XCTAssertEqual(plain.status, 202, "without wait a post is asynchronous, pushed through the first route")
    }

    func testARefusalIsNeutralAndARunOutWaitIs202() async throws {
        let refused = await post("taken@example.com")
        XCTAssertEqual(refused.json?["success"], .bool(false))
        XCTAssertEqual(refused.json?["error"], .string("duplicate lead"), "never the buyer's words")
        XCTAssertEqual(refused.json?["reason"], .string("duplicate"))
        XCTAssertFalse(refused.json?.encoded().contains("taken at the buyer") ?? true)
        let slow = await post("slow@example.com", query: "?wait=1")
        XCTAssertEqual(slow.status, 202, "\(String(describing: slow.json))")
        XCTAssertNotNil(slow.json?["id"]?.stringValue)
        let bad = await post("x@example.com", query: "?wait=600")
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.json?["error"]?["code"], .string("invalid_wait"))
    }
}
