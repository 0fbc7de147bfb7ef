import Host
import IntegrationRuntime
import NetworkSandbox
import XCTest

final class AlterCPASandboxTests: SandboxTestCase {
    func add(_ h: SandboxHarness, key: String? = nil, form: String) async -> HTTPResponse {
        await h.send("POST", "/altercpa/ext/add.json?id=\(key ?? h.credentials.altercpaKey)",
                     headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
    }

    func list(_ h: SandboxHarness, form: String) async -> HTTPResponse {
        await h.send("POST", "/altercpa/ext/list.json?id=\(h.credentials.altercpaKey)",
                     headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
    }

    func testStatusOkAndErrorCodes() async throws {
        let h = try await start()
        let base = "id=L-1&offer=1&name=Anna+Schmidt&ip=203.0.113.7&country=DE"
        let badKey = await add(h, key: "1-wrong", form: base + "&phone=4915112345678")
        XCTAssertEqual(badKey.status, 200)
        XCTAssertEqual(badKey.json(), .object(["status": "error", "error": "key"]))
        let noPhone = await add(h, form: base)
        XCTAssertEqual(noPhone.json()["error"], "nophone")
        let badPhone = await add(h, form: base + "&phone=12")
        XCTAssertEqual(badPhone.json()["error"], "badphone")
        let noOffer = await add(h, form: "id=L-1&phone=4915112345678&ip=1.2.3.4")
        XCTAssertEqual(noOffer.json()["error"], "offer")
        let blocked = await add(h, form: "id=L-9&offer=1&phone=850123456789&ip=1.2.3.4&country=KP")
        XCTAssertEqual(blocked.json()["error"], "country")
        let ok = await add(h, form: base + "&phone=4915112345678")
        XCTAssertEqual(ok.json()["status"], "ok")
        XCTAssertNotNil(ok.json()["id"]?.int64Value)
        XCTAssertNotNil(ok.json()["url"]?.stringValue)
        let duplicate = await add(h, form: base + "&phone=4915112345678")
        XCTAssertEqual(duplicate.json()["error"], "duplicate")
    }

    func post(_ h: SandboxHarness, _ path: String, form: String) async -> JSONValue {
        await h.send("POST", "/altercpa/\(path)?id=\(h.credentials.altercpaKey)",
                     headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form).json()
    }

    func testMerchantAddSkipsTheDuplicateCheck() async throws {
        let h = try await start()
        let order = "offer=1&phone=4915112345678&ip=1.2.3.4&base=49&count=2&currency=EUR"
        let first = await post(h, "comp/add.json", form: order)
        XCTAssertEqual(first["status"], "ok")
        XCTAssertNil(first["url"], "a merchant order has no autologin url")
        let second = await post(h, "comp/add.json", form: order)
        XCTAssertEqual(second["status"], "ok", "the same phone again is another order")
        XCTAssertNotEqual(first["id"], second["id"])
        let agency = await post(h, "ext/add.json", form: "id=L-1&" + order)
        XCTAssertEqual(agency["status"], "ok", "merchant orders do not block the agency's lead")
        let noPhone = await post(h, "comp/add.json", form: "offer=1&ip=1.2.3.4")
        XCTAssertEqual(noPhone["error"], "nophone")
        let badKey = await h.send("POST", "/altercpa/comp/add.json?id=1-wrong",
                                  headers: [("Content-Type", "application/x-www-form-urlencoded")], body: order)
        XCTAssertEqual(badKey.json()["error"], "key")
        let id = try XCTUnwrap(first["id"]?.int64Value)
        XCTAssertEqual(h.sandbox.store.lead(.altercpa, id: String(id))?.fields["base"], "49")
    }

    func testEditMergesFieldsIntoAKnownOrder() async throws {
        let h = try await start()
        let added = await post(h, "ext/add.json", form: "id=L-1&offer=1&phone=4915112345678&ip=1.2.3.4&comm=first")
        let id = try XCTUnwrap(added["id"]?.int64Value)
        let edited = await post(h, "ext/edit.json", form: "oid=\(id)&comm=second&count=3")
        XCTAssertEqual(edited, .object(["status": "ok", "id": .integer(id)]))
        let fields = try XCTUnwrap(h.sandbox.store.lead(.altercpa, id: String(id))?.fields)
        XCTAssertEqual(fields["comm"], "second")
        XCTAssertEqual(fields["count"], "3")
        XCTAssertEqual(fields["phone"], "4915112345678")
        XCTAssertNil(fields["oid"])
        let unknown = await post(h, "ext/edit.json", form: "oid=999&comm=x")
        XCTAssertEqual(unknown["error"], "order")
        let noOid = await post(h, "ext/edit.json", form: "comm=x")
        XCTAssertEqual(noOid["error"], "order")
        let badPhone = await post(h, "ext/edit.json", form: "oid=\(id)&phone=12")
        XCTAssertEqual(badPhone["error"], "badphone")
    }

    func testListByIdsAndRangeFollowTheTimeline() async throws {
        let h = try await start()
        let first = await add(h, form: "id=L-1&offer=1&phone=4915112345678&ip=1.2.3.4")
        let id = try XCTUnwrap(first.json()["id"]?.int64Value)
        var rows = await list(h, form: "ids=\(id),999").json().arrayValue ?? []
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?["stage"], "wait")
        XCTAssertEqual(rows.first?["uid"], "L-1")
        h.clock.advance(by: 60)
        rows = await list(h, form: "ids=\(id)").json().arrayValue ?? []
        XCTAssertEqual(rows.first?["stage"], "hold")
        h.clock.advance(by: 120)
        let range = await list(h, form: "from=2026-01-01&to=2026-01-01").json()
        XCTAssertEqual(range["leads"]?.arrayValue?.first?["stage"], "approve")
        XCTAssertEqual(range["leads"]?.arrayValue?.first?["time"], .integer(1_767_225_600 + 180))
        let none = await list(h, form: "from=2025-01-01&to=2025-01-02").json()
        XCTAssertEqual(none["leads"], .array([]))
        let bad = await list(h, form: "").json()
        XCTAssertEqual(bad["status"], "error")
    }
}
