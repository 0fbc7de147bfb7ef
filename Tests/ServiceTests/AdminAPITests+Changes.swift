import LeadJSON
import XCTest

@testable import LeadRelayService

extension AdminAPITests {
    func testAnOffersRegistrationWaitIsSetOnCreationAndChanged() async throws {
        let created = await send(
            "POST", "/api/v1/admin/offers", #"{"id": "9", "name": "Sync", "registration_wait_seconds": 20}"#, token: tokens[.manager])
        XCTAssertEqual(created.status, 201, "\(String(describing: created.json))")
        XCTAssertEqual(created.json?["offer"]?["registration_wait_seconds"], .integer(20))
        let changed = await send("PATCH", "/api/v1/admin/offers/9", #"{"registration_wait_seconds": 0}"#, token: tokens[.manager])
        XCTAssertEqual(changed.status, 200, "\(String(describing: changed.json))")
        XCTAssertEqual(changed.json?["offer"]?["registration_wait_seconds"], .integer(0))
        let stored = try await store.offer(id: "9")
        XCTAssertEqual(stored?.registrationWait, 0)
        let tooLong = await send("PATCH", "/api/v1/admin/offers/9", #"{"registration_wait_seconds": 61}"#, token: tokens[.manager])
        XCTAssertEqual(tooLong.status, 422)
        XCTAssertEqual(tooLong.json?["error"]?["field"], .string("registration_wait_seconds"))
        let unknown = await send("PATCH", "/api/v1/admin/offers/nope", #"{"registration_wait_seconds": 5}"#, token: tokens[.manager])
        XCTAssertEqual(unknown.status, 404)
        let analyst = await send("PATCH", "/api/v1/admin/offers/9", #"{"registration_wait_seconds": 5}"#, token: tokens[.analyst])
        XCTAssertEqual(analyst.status, 403)
    }

    func testAnOnApproveRouteWhoseScriptLacksApprovedIsRefused() async throws {
        let body =
            #"{"integration": "irev", "params": {"base_url": "https://x.example", "api_token": "t-0123456789", "affiliate_id": "2", "offer_id": "1"}, "on_approve": true}"#
        let refused = await send("POST", "/api/v1/admin/offers/7/routes", body, token: tokens[.manager])
        XCTAssertEqual(refused.status, 422, "\(String(describing: refused.json))")
        XCTAssertTrue(
            refused.json?.encoded().contains("does not declare the approved action") ?? false, "\(String(describing: refused.json))")
        let plain = await send(
            "POST", "/api/v1/admin/offers/7/routes", body.replacingOccurrences(of: "true", with: "false"), token: tokens[.manager])
        XCTAssertEqual(plain.status, 201, "\(String(describing: plain.json))")
        XCTAssertEqual(plain.json?["route"]?["on_approve"], .bool(false))
    }
}
