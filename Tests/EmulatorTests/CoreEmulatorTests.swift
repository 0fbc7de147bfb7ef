import Host
import IntegrationRuntime
import LeadJSON
import LoopbackTesting
import NetworkEmulators
import Synchronization
import XCTest

final class CoreEmulatorTests: EmulatorTestCase {
    func testInstantRoute() async throws {
        let h = try await start()
        let r = await h.send("GET", "/instant")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json(), .object(["ok": .bool(true)]))
        let unknown = await h.send("GET", "/nowhere")
        XCTAssertEqual(unknown.status, 404)
    }

    func testFailRateOneFailsEverythingButInstant() async throws {
        let h = try await start { $0.failRate = 1 }
        let r = await h.send("GET", "/irev/api/affiliates/v2/leads", headers: [("Authorization", h.credentials.irevToken)])
        XCTAssertEqual(r.status, 503)
        let instant = await h.send("GET", "/instant")
        XCTAssertEqual(instant.status, 200)
    }

    func testLatencyDelaysAnswers() async throws {
        let h = try await start { $0.latency = 0.2 }
        let started = ContinuousClock.now
        let r = await h.send("GET", "/clixnow/api/system/v1/leads/search")
        XCTAssertEqual(r.status, 401)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(200), "never earlier than the latency")
    }

    func testCustomCredentials() async throws {
        let h = try await start { try? $0.credentials.set("irev", to: "custom") }
        let r = await h.send(
            "GET", "/irev/api/affiliates/v2/leads", headers: [("Authorization", "custom"), ("Content-Type", "application/json")])
        XCTAssertEqual(r.status, 200)
        let old = await h.send("GET", "/irev/api/affiliates/v2/leads", headers: [("Authorization", EmulatorCredentials().irevToken)])
        XCTAssertEqual(old.status, 401)
    }

    func testPostbacksFollowTheTimeline() async throws {
        let received = Mutex<[LoopbackRequest]>([])
        let server = LoopbackHTTPServer { request in
            received.withLock { $0.append(request) }
            return LoopbackResponse(status: 200, text: "ok")
        }
        try server.start()
        defer { server.stop() }
        let h = try await start { $0.postbackURL = server.url("/postback/altercpa/1") }
        let added = await h.send(
            "POST", "/altercpa/ext/add.json?id=\(h.credentials.altercpaKey)",
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: "id=L-1&offer=1&phone=4915112345678&ip=1.2.3.4")
        let id = try XCTUnwrap(added.json()["id"]?.int64Value)
        var sent = await h.server.deliverDuePostbacks()
        XCTAssertEqual(sent, 0, "nothing changed yet")
        h.clock.advance(by: 60)
        sent = await h.server.deliverDuePostbacks()
        XCTAssertEqual(sent, 1)
        h.clock.advance(by: 120)
        sent = await h.server.deliverDuePostbacks()
        XCTAssertEqual(sent, 1)
        sent = await h.server.deliverDuePostbacks()
        XCTAssertEqual(sent, 0, "each change is posted once")
        let requests = received.withLock { $0 }
        XCTAssertEqual(requests.count, 2)
        XCTAssertEqual(requests.map(\.path), ["/postback/altercpa/1", "/postback/altercpa/1"])
        XCTAssertTrue(requests[0].query.contains("id=\(id)"), requests[0].query)
        XCTAssertTrue(requests[0].query.contains("stage=hold"), requests[0].query)
        XCTAssertTrue(requests[1].query.contains("stage=approve"), requests[1].query)
        XCTAssertTrue(requests[1].query.contains("price=10"), requests[1].query)
        XCTAssertTrue(requests[1].query.contains("network=altercpa"), requests[1].query)
    }

    func testANetworksOwnPostbackURLReplacesTheCommonOneAndOtherNetworksGetNone() async throws {
        let received = Mutex<[LoopbackRequest]>([])
        let server = LoopbackHTTPServer { request in
            received.withLock { $0.append(request) }
            return LoopbackResponse(status: 200, text: "ok")
        }
        try server.start()
        defer { server.stop() }
        let own = try await start {
            $0.postbackURL = server.url("/everyone")
            $0.networkPostbackURLs = [.altercpa: server.url("/postback/altercpa/route-token")]
        }
        let elsewhere = try await start { $0.networkPostbackURLs = [.clixnow: server.url("/postback/clixnow/route-token")] }
        for h in [own, elsewhere] {
            let added = await h.send(
                "POST", "/altercpa/ext/add.json?id=\(h.credentials.altercpaKey)",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "id=L-1&offer=1&phone=4915112345678&ip=1.2.3.4")
            XCTAssertEqual(added.status, 200)
            h.clock.advance(by: 60)
        }
        let sent = await own.server.deliverDuePostbacks()
        XCTAssertEqual(sent, 1)
        let none = await elsewhere.server.deliverDuePostbacks()
        XCTAssertEqual(none, 0, "AlterCPA's leads have no postback address there")
        XCTAssertEqual(received.withLock { $0.map(\.path) }, ["/postback/altercpa/route-token"])
    }

    func testRejectingEmailsFollowTheRejectingTimeline() async throws {
        let h = try await start()
        let body = JSONValue.object(["ip": "1.2.3.4", "email": "bob+reject@example.com"])
        _ = await h.send("POST", "/irev/api/affiliates/v2/leads", headers: [("Authorization", h.credentials.irevToken)], json: body)
        h.clock.advance(by: 600)
        let lead = try XCTUnwrap(h.server.store.leads(.irev).first)
        XCTAssertEqual(lead.state(at: h.clock.now()), .rejected)
    }
}
