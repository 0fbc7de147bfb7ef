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
