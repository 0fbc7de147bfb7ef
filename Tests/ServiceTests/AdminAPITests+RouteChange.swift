import Foundation
import LeadJSON
import XCTest

@testable import LeadRelayService

/// `PATCH /api/v1/admin/routes/{id}`: a route changed in place, checked as on creation.
extension AdminAPITests {
    static let irevRoute =
        #"{"integration": "irev", "params": {"base_url": "https://x.example", "api_token": "t-SECRET-0123456789", "affiliate_id": "2"}}"#

    func addedIrevRoute() async throws -> (id: Int64, token: String) {
        let added = await send("POST", "/api/v1/admin/offers/7/routes", Self.irevRoute, token: tokens[.manager])
        XCTAssertEqual(added.status, 201, "\(String(describing: added.json))")
        let id = try XCTUnwrap(added.json?["route"]?["id"]?.int64Value)
        return (id, try XCTUnwrap(added.json?["route"]?["postback_token"]?.stringValue))
    }

    func testARouteIsChangedInPlaceKeepingItsIdTokenAndSecrets() async throws {
        let (id, token) = try await addedIrevRoute()
        let body = """
            {"params": {"base_url": "https://y.example", "api_token": "***", "offer_id": "9"}, "priority": 3, "daily_cap": 50,
             "countries": ["de", "AT"], "hours": "Mon-Fri 09:00-18:00 Europe/Berlin", "status": {"checks": ["processing", "range"], "interval": 300}}
            """
        let changed = await send("PATCH", "/api/v1/admin/routes/\(id)", body, token: tokens[.manager])
        XCTAssertEqual(changed.status, 200, "\(String(describing: changed.json))")
        let shown = try XCTUnwrap(changed.json?["route"])
        XCTAssertEqual(shown["id"], .integer(id))
        XCTAssertEqual(shown["postback_token"], .string(token), "the postback address stays")
        XCTAssertEqual(shown["params"], .object(["base_url": "https://y.example", "api_token": "***", "offer_id": "9"]))
        XCTAssertEqual(shown["countries"], .array(["AT", "DE"]))
        XCTAssertEqual(shown["daily_cap"], .integer(50))
        XCTAssertEqual(shown["status"]?["checks"], .array(["processing", "range"]))
        XCTAssertEqual(shown["status"]?["interval"], .integer(300))
        XCTAssertEqual(shown["status"]?["window"], .integer(Int64(StatusSchedule.defaultWindowSeconds)), "not given: kept")
        let stored = try await store.route(id: id)
        XCTAssertEqual(stored?.params["api_token"], .string("t-SECRET-0123456789"), "*** keeps the stored secret")
        XCTAssertNil(stored?.params["affiliate_id"], "a parameter left out is removed")
        XCTAssertEqual(stored?.priority, 3)
        XCTAssertEqual(stored?.hours?.description, "Mon-Fri 09:00-18:00 Europe/Berlin")

        let secret = await send(
            "PATCH", "/api/v1/admin/routes/\(id)", #"{"params": {"base_url": "https://y.example", "api_token": "t-NEWSECRET-987654321"}}"#,
            token: tokens[.manager])
        XCTAssertEqual(secret.status, 200, "\(String(describing: secret.json))")
        XCTAssertEqual(secret.json?["route"]?["params"]?["api_token"], .string("***"), "a secret reads back as *** after an edit")
        XCTAssertFalse(secret.json?.encoded().contains("NEWSECRET") ?? true)
        let listed = await send("GET", "/api/v1/admin/offers/7/routes", token: tokens[.manager])
        XCTAssertFalse(listed.json?.encoded().contains("NEWSECRET") ?? true)
        let resealed = try await store.route(id: id)
        XCTAssertEqual(resealed?.params["api_token"], .string("t-NEWSECRET-987654321"))
        let kept = await send(
            "PATCH", "/api/v1/admin/routes/\(id)", #"{"params": {"base_url": "https://z.example"}}"#, token: tokens[.admin])
        XCTAssertEqual(kept.status, 200, "a secret left out keeps its value: \(String(describing: kept.json))")
        let afterKept = try await store.route(id: id)
        XCTAssertEqual(afterKept?.params["api_token"], .string("t-NEWSECRET-987654321"))
        XCTAssertEqual(afterKept?.countries, ["AT", "DE"], "fields not given stay")

        let cleared = await send(
            "PATCH", "/api/v1/admin/routes/\(id)", #"{"daily_cap": null, "hours": null, "countries": []}"#, token: tokens[.manager])
        XCTAssertEqual(cleared.status, 200, "\(String(describing: cleared.json))")
        let open = try await store.route(id: id)
        XCTAssertNil(open?.dailyCap)
        XCTAssertNil(open?.hours)
        XCTAssertEqual(open?.countries, [])
        XCTAssertEqual(open?.priority, 3)
        let roundTrip = await send("PATCH", "/api/v1/admin/routes/\(id)", cleared.json?["route"]?.encoded() ?? "", token: tokens[.manager])
        XCTAssertEqual(roundTrip.status, 200, "a route as shown may be sent back: \(String(describing: roundTrip.json))")
        let afterTrip = try await store.route(id: id)
        XCTAssertEqual(afterTrip, open, "sending a route back as shown changes nothing")
    }

    func testARouteChangeThatDoesNotFitIsRefusedAndChangesNothing() async throws {
        let (id, _) = try await addedIrevRoute()
        let before = try await store.route(id: id)
        let unknown = await send(
            "PATCH", "/api/v1/admin/routes/\(id)", #"{"params": {"base_url": "https://x.example", "api_tokn": "t-x"}}"#,
            token: tokens[.manager])
        XCTAssertEqual(unknown.status, 422)
        XCTAssertEqual(unknown.json?["error"]?["code"], .string("invalid_params"))
        XCTAssertEqual(unknown.json?["error"]?["params"]?.arrayValue?.map { $0["param"] }, [.string("api_tokn")])
        let missing = await send("PATCH", "/api/v1/admin/routes/\(id)", #"{"params": {"api_token": "***"}}"#, token: tokens[.manager])
        XCTAssertEqual(missing.status, 422)
        XCTAssertEqual(missing.json?["error"]?["params"]?.arrayValue?.map { $0["code"] }, [.string("required")])
        let removedSecret = await send(
            "PATCH", "/api/v1/admin/routes/\(id)", #"{"params": {"base_url": "https://x.example", "api_token": null}}"#,
            token: tokens[.manager])
        XCTAssertEqual(
            removedSecret.json?["error"]?["params"]?.arrayValue?.map { $0["param"] }, [.string("api_token")],
            "null removes a secret; a required one is then missing")
        let cases: [(String, String, String)] = [
            (#"{"priority": "high"}"#, "priority", "not a number"),
            (#"{"daily_cap": 0}"#, "", "a cap under 1"),
            (#"{"countries": ["Germany"]}"#, "", "not an alpha-2 code"),
            (#"{"hours": "9 to 5"}"#, "", "hours that do not read"),
            (#"{"status": {"interval": 0}}"#, "", "an interval under a second"),
            (#"{"status": {"checks": ["procesing"]}}"#, "status.checks", "an unknown check"),
            (#"{"integration": "trackbox", "priority": 1}"#, "integration", "another integration"),
            (#"{"on_approve": true}"#, "on_approve", "on-approve is read-only"),
            ("{}", "route", "nothing to change"),
        ]
        for (body, field, what) in cases {
            let refused = await send("PATCH", "/api/v1/admin/routes/\(id)", body, token: tokens[.manager])
            XCTAssertEqual(refused.status, 422, "\(what): \(String(describing: refused.json))")
            if !field.isEmpty { XCTAssertEqual(refused.json?["error"]?["field"], .string(field), what) }
        }
        let after = try await store.route(id: id)
        XCTAssertEqual(after, before, "a refused change stores nothing")
        let unknownRoute = await send("PATCH", "/api/v1/admin/routes/999", #"{"priority": 1}"#, token: tokens[.manager])
        XCTAssertEqual(unknownRoute.status, 404)
        let analyst = await send("PATCH", "/api/v1/admin/routes/\(id)", #"{"priority": 1}"#, token: tokens[.analyst])
        XCTAssertEqual(analyst.status, 403)
    }
}
