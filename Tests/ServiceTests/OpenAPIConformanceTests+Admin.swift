import Foundation
import LeadJSON
import XCTest

/// The admin API and the test window against docs/openapi.json: offers and routes,
/// affiliates, their keys and postbacks, employees and theirs, redelivery.
extension OpenAPIConformanceTests {
    static let adminOperations = [
        "GET /api/v1/admin/offers", "POST /api/v1/admin/offers", "PATCH /api/v1/admin/offers/{id}", "GET /api/v1/admin/offers/{id}/routes",
        "POST /api/v1/admin/offers/{id}/routes", "PATCH /api/v1/admin/routes/{id}", "DELETE /api/v1/admin/routes/{id}",
        "POST /api/v1/offers/{id}/test", "POST /api/v1/admin/redeliver",
    ]
    static let employeeOperations = [
        "GET /api/v1/admin/affiliates", "POST /api/v1/admin/affiliates", "GET /api/v1/admin/affiliates/{id}/keys",
        "POST /api/v1/admin/affiliates/{id}/keys", "PUT /api/v1/admin/affiliates/{id}/postback",
        "GET /api/v1/admin/affiliates/{id}/postbacks", "POST /api/v1/admin/affiliates/{id}/postbacks/test",
        "GET /api/v1/admin/employees", "POST /api/v1/admin/employees", "POST /api/v1/admin/employees/{id}/keys",
        "POST /api/v1/admin/keys/{id}/revoke", "POST /api/v1/admin/keys/{id}/extend",
    ]

    func testOffersRoutesAndTheTestWindowAnswerAsDocumented() async throws {
        let offers = "POST /api/v1/admin/offers"
        await call(
            offers, "/api/v1/admin/offers", #"{"name": "Crypto CH", "payout": 25, "currency": "EUR", "duplicate_window": 60}"#,
            key: "manager", expect: 201)
        await call(offers, "/api/v1/admin/offers", #"{"id": "7", "name": "Again"}"#, key: "manager", expect: 409)
        await call(offers, "/api/v1/admin/offers", #"{"name": "Bad", "payout_on": "paid"}"#, key: "manager", expect: 422)
        await call(offers, "/api/v1/admin/offers", "[1]", key: "manager", expect: 400)
        await call(offers, "/api/v1/admin/offers", String(repeating: " ", count: 70_000), key: "manager", expect: 413)
        await call(offers, "/api/v1/admin/offers", #"{"name": "X"}"#, key: "analyst", expect: 403)
        let offerChange = "PATCH /api/v1/admin/offers/{id}"
        let changed = await call(offerChange, "/api/v1/admin/offers/8", #"{"registration_wait_seconds": 5}"#, key: "manager", expect: 200)
        XCTAssertEqual(changed.json?["offer"]?["registration_wait_seconds"], .integer(5), changed.text)
        await call(offerChange, "/api/v1/admin/offers/8", #"{"registration_wait_seconds": 61}"#, key: "manager", expect: 422)
        await call(offerChange, "/api/v1/admin/offers/8", #"{}"#, key: "manager", expect: 422)
        let payout = await call(
            offerChange, "/api/v1/admin/offers/8", #"{"payout": "30", "currency": "EUR", "duplicate_window": null}"#, key: "manager",
            expect: 200)
        XCTAssertEqual(payout.json?["offer"]?["payout"], .string("30"), payout.text)
        await call(offerChange, "/api/v1/admin/offers/8", #"{"payout": null, "currency": "EUR"}"#, key: "manager", expect: 422)
        await call(offerChange, "/api/v1/admin/offers/99", #"{"registration_wait_seconds": 0}"#, key: "manager", expect: 404)
        await call(offerChange, "/api/v1/admin/offers/8", #"{"registration_wait_seconds": 0}"#, key: "analyst", expect: 403)
        await call(offerChange, "/api/v1/admin/offers/8", #"{"registration_wait_seconds": 0}"#, expect: 401)
        await call("GET /api/v1/admin/offers", "/api/v1/admin/offers", key: "manager", expect: 200)
        await call("GET /api/v1/admin/offers", "/api/v1/admin/offers", key: "affiliate", expect: 401)

        let routes = "POST /api/v1/admin/offers/{id}/routes"
        let added = await call(
            routes, "/api/v1/admin/offers/8/routes", #"{"integration": "relay", "params": {}, "countries": ["AT"], "daily_cap": 10}"#,
            key: "manager", expect: 201)
        let route = try XCTUnwrap(added.json?["route"]?["id"]?.int64Value, added.text)
        await call(
            routes, "/api/v1/admin/offers/8/routes", #"{"integration": "relay", "params": {"nope": 1}}"#, key: "manager", expect: 422)
        await call(routes, "/api/v1/admin/offers/99/routes", #"{"integration": "relay", "params": {}}"#, key: "manager", expect: 404)
        await call("GET /api/v1/admin/offers/{id}/routes", "/api/v1/admin/offers/8/routes", key: "admin", expect: 200)
        await call("GET /api/v1/admin/offers/{id}/routes", "/api/v1/admin/offers/8/routes", expect: 401)
        let change = "PATCH /api/v1/admin/routes/{id}"
        await call(change, "/api/v1/admin/routes/\(route)", #"{"enabled": false}"#, key: "manager", expect: 200)
        await call(change, "/api/v1/admin/routes/\(route)", "{}", key: "manager", expect: 422)
        let edited = await call(
            change, "/api/v1/admin/routes/\(route)", #"{"priority": 2, "daily_cap": null, "status": {"interval": 60}}"#, key: "manager",
            expect: 200)
        XCTAssertEqual(edited.json?["route"]?["daily_cap"], .null, edited.text)
        await call(change, "/api/v1/admin/routes/\(route)", #"{"params": {"nope": 1}}"#, key: "manager", expect: 422)
        await call(change, "/api/v1/admin/routes/\(route)", #"{"priority": "high"}"#, key: "manager", expect: 422)
        await call(change, "/api/v1/admin/routes/x", #"{"enabled": true}"#, key: "manager", expect: 404)
        let remove = "DELETE /api/v1/admin/routes/{id}"
        await call(remove, "/api/v1/admin/routes/\(route)", key: "manager", expect: 200)
        await call(remove, "/api/v1/admin/routes/\(route)", key: "manager", expect: 404)
        await call(remove, "/api/v1/admin/routes/\(route)", key: "analyst", expect: 403)

        let test = "POST /api/v1/offers/{id}/test"
        let lead = #"{"first_name": "Anna", "email": "window@example.com", "country": "DE", "password": "Xy7!pass"}"#
        await call(test, "/api/v1/offers/7/test", #"{"lead": \#(lead)}"#, key: "manager", expect: 200)
        let live = await call(
            test, "/api/v1/offers/7/test", #"{"lead": \#(lead), "mode": "live", "action": "register"}"#, key: "manager",
            expect: 200)
        XCTAssertEqual(live.json?["outcome"], .string("accepted"), live.text)
        await call(test, "/api/v1/offers/7/test", #"{"lead": \#(lead), "mode": "sideways"}"#, key: "manager", expect: 422)
        await call(test, "/api/v1/offers/99/test", #"{"lead": \#(lead)}"#, key: "manager", expect: 404)
        await call(test, "/api/v1/offers/7/test", #"{"lead": \#(lead)}"#, expect: 401)

        let redeliver = "POST /api/v1/admin/redeliver"
        let listed = await call(
            redeliver, "/api/v1/admin/redeliver", #"{"integration": "relay", "dry_run": true}"#, key: "manager",
            expect: 200)
        XCTAssertEqual(listed.json?["count"], .integer(0), listed.text)
        await call(redeliver, "/api/v1/admin/redeliver", #"{"from": "last week"}"#, key: "manager", expect: 422)
        await call(redeliver, "/api/v1/admin/redeliver", "{}", key: "analyst", expect: 403)
        assertDrove(Self.adminOperations)
    }

    func testAffiliatesEmployeesAndKeysAnswerAsDocumented() async throws {
        let affiliates = "POST /api/v1/admin/affiliates"
        await call(affiliates, "/api/v1/admin/affiliates", #"{"id": "A2", "name": "Second", "offers": ["7"]}"#, key: "manager", expect: 201)
        await call(affiliates, "/api/v1/admin/affiliates", #"{"id": "A2", "name": "Again"}"#, key: "manager", expect: 409)
        await call(affiliates, "/api/v1/admin/affiliates", #"{"name": "X", "offers": ["99"]}"#, key: "manager", expect: 404)
        await call(affiliates, "/api/v1/admin/affiliates", #"{"name": 5}"#, key: "manager", expect: 422)
        await call("GET /api/v1/admin/affiliates", "/api/v1/admin/affiliates", key: "manager", expect: 200)
        await call("GET /api/v1/admin/affiliates", "/api/v1/admin/affiliates", key: "analyst", expect: 403)

        let keys = "POST /api/v1/admin/affiliates/{id}/keys"
        let issued = await call(
            keys, "/api/v1/admin/affiliates/A2/keys",
            #"{"permissions": ["leads:create"], "allow": ["127.0.0.1-127.0.0.1"], "rate": "10/1m"}"#,
            key: "manager", expect: 201)
        let key = try XCTUnwrap(issued.json?["key"]?["id"]?.stringValue, issued.text)
        await call(keys, "/api/v1/admin/affiliates/A2/keys", #"{"permissions": ["leads:delete"]}"#, key: "manager", expect: 422)
        await call(
            keys, "/api/v1/admin/affiliates/A9/keys", #"{"permissions": ["leads:read"], "allow": ["0.0.0.0-255.255.255.255"]}"#,
            key: "manager", expect: 404)
        await call("GET /api/v1/admin/affiliates/{id}/keys", "/api/v1/admin/affiliates/A2/keys", key: "manager", expect: 200)
        await call("GET /api/v1/admin/affiliates/{id}/keys", "/api/v1/admin/affiliates/A2/keys", expect: 401)
        let extend = "POST /api/v1/admin/keys/{id}/extend"
        await call(extend, "/api/v1/admin/keys/\(key)/extend", #"{"expires_in": "30d"}"#, key: "manager", expect: 200)
        await call(extend, "/api/v1/admin/keys/\(key)/extend", #"{"expires_in": "soon"}"#, key: "manager", expect: 422)
        await call(extend, "/api/v1/admin/keys/nope/extend", #"{"expires_in": "30d"}"#, key: "manager", expect: 404)
        let revoke = "POST /api/v1/admin/keys/{id}/revoke"
        await call(revoke, "/api/v1/admin/keys/\(key)/revoke", key: "manager", expect: 200)
        await call(revoke, "/api/v1/admin/keys/nope/revoke", key: "manager", expect: 404)
        await call(revoke, "/api/v1/admin/keys/ekey_x/revoke", key: "manager", expect: 403)

        let postback = "PUT /api/v1/admin/affiliates/{id}/postback"
        let template = "http://127.0.0.1:\(receiver.port)/pb?lead={lead_id}&status={status}"
        await call(postback, "/api/v1/admin/affiliates/A2/postback", #"{"postback_url": "\#(template)"}"#, key: "manager", expect: 200)
        await call(postback, "/api/v1/admin/affiliates/A2/postback", #"{"postback_url": "ftp://x"}"#, key: "manager", expect: 422)
        await call(postback, "/api/v1/admin/affiliates/A9/postback", #"{"postback_url": null}"#, key: "manager", expect: 404)
        let tested = "POST /api/v1/admin/affiliates/{id}/postbacks/test"
        await call(tested, "/api/v1/admin/affiliates/A2/postbacks/test", #"{"sub_id": "s-1"}"#, key: "manager", expect: 200)
        await call(tested, "/api/v1/admin/affiliates/A9/postbacks/test", key: "manager", expect: 404)
        let calls = "GET /api/v1/admin/affiliates/{id}/postbacks"
        let recent = await call(calls, "/api/v1/admin/affiliates/A2/postbacks?limit=5", key: "manager", expect: 200)
        XCTAssertEqual(recent.json?["calls"]?.arrayValue?.count, 1, recent.text)
        await call(calls, "/api/v1/admin/affiliates/A2/postbacks?limit=0", key: "manager", expect: 422)
        await call(calls, "/api/v1/admin/affiliates/A9/postbacks", key: "manager", expect: 404)

        let employees = "POST /api/v1/admin/employees"
        let created = await call(
            employees, "/api/v1/admin/employees", #"{"id": "E9", "name": "New", "role": "analyst", "allow": ["127.0.0.1-127.0.0.1"]}"#,
            key: "admin", expect: 201)
        XCTAssertNotNil(created.json?["token"]?.stringValue, created.text)
        await call(
            employees, "/api/v1/admin/employees", #"{"id": "E9", "name": "Again", "role": "analyst", "allow": ["127.0.0.1-127.0.0.1"]}"#,
            key: "admin", expect: 409)
        await call(employees, "/api/v1/admin/employees", #"{"name": "New", "role": "boss"}"#, key: "admin", expect: 422)
        await call(employees, "/api/v1/admin/employees", #"{"name": "New", "role": "analyst"}"#, key: "manager", expect: 403)
        await call("GET /api/v1/admin/employees", "/api/v1/admin/employees", key: "admin", expect: 200)
        let employeeKeys = "POST /api/v1/admin/employees/{id}/keys"
        let second = await call(
            employeeKeys, "/api/v1/admin/employees/E9/keys", #"{"allow": ["127.0.0.1-127.0.0.1"]}"#, key: "admin",
            expect: 201)
        let employeeKey = try XCTUnwrap(second.json?["key"]?["id"]?.stringValue, second.text)
        await call(employeeKeys, "/api/v1/admin/employees/E99/keys", #"{"allow": ["127.0.0.1-127.0.0.1"]}"#, key: "admin", expect: 404)
        await call(employeeKeys, "/api/v1/admin/employees/E9/keys", #"{"allow": ["everywhere"]}"#, key: "admin", expect: 422)
        await call(revoke, "/api/v1/admin/keys/\(employeeKey)/revoke", key: "admin", expect: 200)
        assertDrove(Self.employeeOperations)
    }
}
