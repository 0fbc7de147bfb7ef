import Host
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import OutboundHTTP
import XCTest

/// The AlterCPA emulator checked against its documents: LeadRelay's seed 002 (AlterCPA's
/// "API integration": agencies, four sending cases, three status checks, postbacks) and
/// AlterCPA's public API conventions, https://docs.altercpa.top/en/api/authentication/ (found
/// with the search tool; written for AlterCPA TOP, the same vendor's API framework: key in
/// `?id=`, HTTP 200, `status`/`error`, framework error codes). Neither gives the agency
/// endpoints' paths, fields or endpoint-specific codes: those are ASSUMPTION, taken from
/// altercpa.lua and its fixtures (docs/emulators.md).
final class AlterCPAEmulatorTests: EmulatorTestCase {
    func add(_ h: EmulatorHarness, key: String? = nil, form: String) async -> OutboundResponse {
        await h.send(
            "POST", "/altercpa/ext/add.json?id=\(key ?? h.credentials.altercpaKey)",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
    }

    func list(_ h: EmulatorHarness, form: String) async -> OutboundResponse {
        await h.send(
            "POST", "/altercpa/ext/list.json?id=\(h.credentials.altercpaKey)",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
    }

    /// docs.altercpa.top: "Every response is HTTP 200 with Content-Type: application/json,
    /// regardless of success or failure. Check the status field", "{ "status": "error",
    /// "error": "code" }", "key | Missing or invalid API key", "The ?id= auth param is always a
    /// query string parameter, even on POST endpoints". ASSUMPTION: the codes `nophone`,
    /// `badphone`, `offer`, `country` and `duplicate` (one lead per phone), and `url` in the answer.
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

    /// docs.altercpa.top: "Every response is HTTP 200" and, among the framework errors,
    /// "func | Unknown endpoint path". (Failed before: the emulator answered 404 `method`.)
    func testUnknownPathIsTheFrameworkErrorFunc() async throws {
        let h = try await start()
        let answer = await h.send(
            "POST", "/altercpa/ext/nothing.json?id=\(h.credentials.altercpaKey)",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "id=1")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.json(), .object(["status": "error", "error": "func"]))
    }

    func post(_ h: EmulatorHarness, _ path: String, form: String) async -> JSONValue {
        await h.send(
            "POST", "/altercpa/\(path)?id=\(h.credentials.altercpaKey)",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form
        ).json()
    }

    func merchant(_ h: EmulatorHarness, key: String? = nil, form: String) async -> JSONValue {
        await h.send(
            "POST", "/altercpa/comp/add.json?id=\(key ?? h.credentials.altercpaMerchantKey)",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form
        ).json()
    }

    /// Seed 002: "Sending leads can be used in four cases: ... sending approved leads to CRM";
    /// altercpa.lua sends them to the merchant's API, another account than the agency.
    /// docs.altercpa.top: "key | Missing or invalid API key". So the agency's key is refused
    /// there: it is not the merchant's. ASSUMPTION: the path comp/add.json and its fields.
    func testMerchantAPIRefusesTheAgencyKey() async throws {
        let h = try await start()
        let order = "offer=1&phone=4915112345678&ip=1.2.3.4"
        let agency = await merchant(h, key: h.credentials.altercpaKey, form: order)
        XCTAssertEqual(agency, .object(["status": "error", "error": "key"]))
        XCTAssertTrue(h.server.store.leads(.altercpa).isEmpty)
        let own = await merchant(h, form: order)
        XCTAssertEqual(own["status"], "ok")
        let onAgencyAPI = await add(h, key: h.credentials.altercpaMerchantKey, form: "id=L-1&" + order)
        XCTAssertEqual(onAgencyAPI.json()["error"], "key", "and the merchant key is not an agency key")
    }

    /// ASSUMPTION (no document): a merchant may add any order, the same phone again too, and
    /// the answer has no autologin url.
    func testMerchantAddSkipsTheDuplicateCheck() async throws {
        let h = try await start()
        let order = "offer=1&phone=4915112345678&ip=1.2.3.4&base=49&count=2&currency=EUR"
        let first = await merchant(h, form: order)
        XCTAssertEqual(first["status"], "ok")
        XCTAssertNil(first["url"], "a merchant order has no autologin url")
        let second = await merchant(h, form: order)
        XCTAssertEqual(second["status"], "ok", "the same phone again is another order")
        XCTAssertNotEqual(first["id"], second["id"])
        let agency = await post(h, "ext/add.json", form: "id=L-1&" + order)
        XCTAssertEqual(agency["status"], "ok", "merchant orders do not block the agency's lead")
        let noPhone = await merchant(h, form: "offer=1&ip=1.2.3.4")
        XCTAssertEqual(noPhone["error"], "nophone")
        let badKey = await h.send(
            "POST", "/altercpa/comp/add.json?id=1-wrong",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: order)
        XCTAssertEqual(badKey.json()["error"], "key")
        let id = try XCTUnwrap(first["id"]?.int64Value)
        XCTAssertEqual(h.server.store.lead(.altercpa, id: String(id))?.fields["base"], "49")
    }

    /// Seed 002: "sending upsells and changes". ASSUMPTION (no document names the call):
    /// ext/edit.json with `oid`, answering `order` for an unknown or missing oid.
    func testEditMergesFieldsIntoAKnownOrder() async throws {
        let h = try await start()
        let added = await post(h, "ext/add.json", form: "id=L-1&offer=1&phone=4915112345678&ip=1.2.3.4&comm=first")
        let id = try XCTUnwrap(added["id"]?.int64Value)
        let edited = await post(h, "ext/edit.json", form: "oid=\(id)&comm=second&count=3")
        XCTAssertEqual(edited, .object(["status": "ok", "id": .integer(id)]))
        let fields = try XCTUnwrap(h.server.store.lead(.altercpa, id: String(id))?.fields)
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

    /// Seed 002: "Statuses check can work in three variations: checking status for processing
    /// leads, checking status for approved leads, checking status by date range."
    /// ASSUMPTION: ext/list.json with `ids` (a bare array) or `from`/`to` (`{"leads":[...]}`),
    /// rows with `stage` (wait, hold, approve, cancel), `status`, `uid`, `time`.
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
