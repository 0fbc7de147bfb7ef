import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// `/postback/{integration}/{route token}` on a live server, with a script that reads its
/// postback from the query or a form and fails or refuses on demand.
final class PostbackRoutesTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var scripts: IntegrationDirectory!
    var server: LeadRelayServer!
    var route: OfferRoute!
    var lead = ""
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))

    static let hook = """
        local M = { name = "hook", title = "postback test", actions = { "push", "postback" },
          params = { secret = { required = true, secret = true } } }
        function M.prepare(lead, ctx) return { method = "GET", url = "https://crm.example/leads" } end
        function M.parse_status(request, ctx)
          local fields = request.form or request.query
          if fields.fail then error("cannot read " .. ctx.params.secret) end
          if fields.refuse then return { outcome = "retry", reason = "unknown", message = ctx.params.secret } end
          return { updates = { { external_id = fields.id, stage = fields.stage, status = request.method .. " " .. request.path } } }
        end
        return M
        """

    override func setUp() async throws {
        temporary = try TemporaryDirectory("postback")
        let folder = temporary.path + "/integrations"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.hook.write(toFile: folder + "/hook.lua", atomically: true, encoding: .utf8)
        scripts = try IntegrationDirectory(path: folder, transport: client)
        _ = try scripts.rescan()
        store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        route = try await store.save(
            OfferRoute(
                offerID: "7", integration: "hook", params: ["secret": "s3cr3t-value"], secretParams: ["secret"], postbackToken: "t-hook"))
        lead = try await StatusStoreContract(make: { [store] in store! }).accepted(store, 1, through: route, external: "ext-1")
        var quiet = Logger(label: "postback-test")
        quiet.logLevel = .critical
        let scripts = self.scripts!
        let parts = LeadRelayServer.Parts(
            store: store, dispatcher: nil, pools: { scripts.pool($0) }, logger: quiet, integrations: { 1 })
        server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), parts: parts, logger: quiet)
    }

    override func tearDown() async throws {
        await server.stop()
        scripts.shutdown()
        client.shutdown()
        temporary.remove()
    }

    func call(_ method: String, _ path: String, form: String? = nil) async -> (status: Int, json: JSONValue?, text: String) {
        let response = await client.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)",
                headers: form == nil ? [] : [("content-type", "application/x-www-form-urlencoded")], body: Array((form ?? "").utf8),
                timeout: 10))
        return (response.status, try? JSONValue.parse(response.body), String(decoding: response.body, as: UTF8.self))
    }

    func testAGetAndAFormPostAreStoredAndCounted() async throws {
        let got = await call("GET", "/postback/hook/t-hook?id=ext-1&stage=hold")
        XCTAssertEqual(got.status, 200, got.text)
        XCTAssertEqual(got.json?["stored"], .integer(1))
        let posted = await call("POST", "/postback/hook/t-hook", form: "id=ext-1&stage=approve")
        XCTAssertEqual(posted.status, 200, posted.text)
        let unknown = await call("GET", "/postback/hook/t-hook?id=someone-else&stage=approve")
        XCTAssertEqual(unknown.status, 200, "an unknown lead is not the network's error to retry")
        XCTAssertEqual(unknown.json?["unknown"], .integer(1))
        let history = try await store.statusHistory(leadID: lead)
        XCTAssertEqual(history.stage, .approve)
        XCTAssertEqual(history.entries.map(\.status), ["GET /postback/hook/t-hook", "POST /postback/hook/t-hook"])
        let metrics = await call("GET", "/metrics").text
        XCTAssertTrue(
            metrics.contains(#"leadrelay_status_updates_total{integration="hook",source="postback",result="stored"} 2"#), metrics)
        XCTAssertTrue(metrics.contains(#"leadrelay_status_updates_total{integration="hook",source="postback",result="unknown"} 1"#))
        XCTAssertTrue(metrics.contains(#"leadrelay_stage_changes_total{integration="hook",stage="approve"} 1"#))
    }

    func testAScriptThatFailsOrRefusesGetsAnAnswerWithoutItsMessage() async throws {
        let failed = await call("GET", "/postback/hook/t-hook?id=ext-1&stage=hold&fail=1")
        XCTAssertEqual(failed.status, 500)
        XCTAssertEqual(failed.json?["error"]?["code"], .string("postback_failed"))
        let refused = await call("GET", "/postback/hook/t-hook?id=ext-1&stage=hold&refuse=1")
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(refused.json?["error"]?["code"], .string("postback_refused"))
        for answer in [failed.text, refused.text] {
            XCTAssertFalse(answer.contains("s3cr3t") || answer.contains("hook.lua") || answer.contains("cannot read"), answer)
        }
        let unknownToken = await call("GET", "/postback/hook/t-other?id=ext-1&stage=hold")
        XCTAssertEqual(unknownToken.status, 404)
        let history = try await store.statusHistory(leadID: lead)
        XCTAssertEqual(history.entries, [], "nothing stored")
    }
}
