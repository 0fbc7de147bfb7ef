import Host
import IntegrationRuntime
import LoopbackTesting
import NetworkSandbox
import Synchronization
import XCTest

final class AlterCPAEndToEndTests: EndToEndTestCase {
    func altercpa(_ configure: (inout NetworkSandbox.Configuration) -> Void = { _ in }) async throws -> (SandboxHarness, ScriptHarness) {
        let h = try await start(configure)
        let s = try script("altercpa", sandbox: h, params: [
            "base_url": h.sandbox.baseURL(.altercpa), "api_key": h.credentials.altercpaKey, "offer_id": "1",
        ])
        return (h, s)
    }

    func testPushRegisterAndStatusChecks() async throws {
        let (h, s) = try await altercpa()
        let pushed = await s.deliver(.push)
        XCTAssertEqual(pushed?.kind, .accepted, pushed?.message ?? "")
        let id = try XCTUnwrap(pushed?.externalID)
        let registered = await s.deliver(.register, ScriptHarness.lead(["id": "L-2", "phone": "+49 151 0000000"]))
        XCTAssertEqual(registered?.kind, .accepted)
        XCTAssertNotNil(registered?.redirectURL)

        var processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.first?.stage, .wait)
        h.clock.advance(by: 60)
        processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.first?.stage, .hold)
        h.clock.advance(by: 120)
        let approved = await s.check(.approved, externalIDs: [id])
        XCTAssertEqual(approved.updates?.first?.stage, .approve)
        XCTAssertEqual(approved.updates?.first?.at, "2026-01-01T00:03:00Z")
        let range = await s.check(.range, from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")
        XCTAssertEqual(range.updates?.count, 2)
    }

    func testDocumentedErrorPaths() async throws {
        let (_, s) = try await altercpa()
        _ = await s.deliver(.push)
        let duplicate = await s.deliver(.push)
        XCTAssertEqual(duplicate?.reason, .duplicate)
        let blocked = await s.deliver(.push, ScriptHarness.lead(["phone": "850123456789", "country": "KP"]))
        XCTAssertEqual(blocked?.reason, .blockedCountry)
        let badPhone = await s.deliver(.push, ScriptHarness.lead(["phone": "12"]))
        XCTAssertEqual(badPhone?.reason, .invalidData)
        let unauthorized = await s.deliver(.push, ScriptHarness.lead(["phone": "4915100000001"]), params: ["api_key": "1-wrong"])
        XCTAssertEqual(unauthorized?.reason, .unauthorized)
        let badOffer = await s.deliver(.push, ScriptHarness.lead(["phone": "4915100000002"]), params: ["offer_id": "none"])
        XCTAssertEqual(badOffer?.reason, .unknown)
    }

    /// The sandbox's postback, fed to the script's postback action, is an update.
    func testPostbackParsesIntoAnUpdate() async throws {
        let received = Mutex<[LoopbackRequest]>([])
        let server = LoopbackHTTPServer { request in
            received.withLock { $0.append(request) }
            return LoopbackResponse(status: 200, text: "ok")
        }
        try server.start()
        defer { server.stop() }
        let (h, s) = try await altercpa { $0.postbackURL = server.url("/postback/altercpa/1") }
        let pushed = await s.deliver(.push)
        let id = try XCTUnwrap(pushed?.externalID)
        h.clock.advance(by: 180)
        let sent = await h.sandbox.deliverDuePostbacks()
        XCTAssertEqual(sent, 1, "new -> deposited in one sweep is one postback")
        let request = try XCTUnwrap(received.withLock { $0.first })
        var query: [String: JSONValue] = [:]
        for pair in request.query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            query[parts[0]] = .string(parts.count > 1 ? parts[1] : "")
        }
        let inbound = JSONValue.object([
            "method": "GET", "url": .string(server.url(request.path)), "path": .string(request.path),
            "query": .object(query), "headers": .object([:]), "body": "", "ip": "127.0.0.1",
        ])
        let result = await s.pool.run(CallInput(action: .postback, params: s.params, now: s.now, inbound: inbound))
        let update = try XCTUnwrap(result.updates?.first)
        XCTAssertEqual(update.externalID, id)
        XCTAssertEqual(update.stage, .approve)
        XCTAssertEqual(update.amount, 10)
        XCTAssertEqual(update.currency, "USD")
    }
}
