import Foundation
import LeadJSON
import XCTest

/// The intake against docs/openapi.json: posts (async, sync, form, refused each way), reads
/// and changes of a lead.
extension OpenAPIConformanceTests {
    static let intakeOperations = ["POST /api/v1/leads", "GET /api/v1/leads/{id}", "PATCH /api/v1/leads/{id}"]

    func testIntakeAnswersAsDocumented() async throws {
        let post = "POST /api/v1/leads"
        let lead = #"{"offer_id": "7", "first_name": "Anna", "email": "async@example.com", "country": "DE", "utm": "x"}"#
        let queued = await call(post, "/api/v1/leads", lead, key: "affiliate", headers: [("Idempotency-Key", "k-1")], expect: 202)
        XCTAssertEqual(queued.json?["state"], .string("pending"))
        await call(post, "/api/v1/leads", lead, key: "affiliate", headers: [("Idempotency-Key", "k-1")], expect: 202)
        await call(
            post, "/api/v1/leads", #"{"offer_id": "7", "email": "other@example.com"}"#, key: "affiliate",
            headers: [("Idempotency-Key", "k-1")], expect: 409)
        await call(
            post, "/api/v1/leads", "offer_id=7&email=form%40example.com&address%5Bcity%5D=Berlin",
            type: "application/x-www-form-urlencoded",
            key: "affiliate", expect: 202)
        let id = try await registeredLead()
        let refused = await call(
            post, "/api/v1/leads?wait=15", #"{"offer_id": "7", "email": "taken@example.com"}"#, key: "affiliate", expect: 200)
        XCTAssertEqual(refused.json?["success"], .bool(false), refused.text)
        await call(post, "/api/v1/leads?wait=0", lead, key: "affiliate", expect: 202)
        await call(post, "/api/v1/leads?wait=61", lead, key: "affiliate", expect: 400)
        await call(post, "/api/v1/leads", "{", key: "affiliate", expect: 400)
        await call(post, "/api/v1/leads", "email=%zz", type: "application/x-www-form-urlencoded", key: "affiliate", expect: 400)
        await call(post, "/api/v1/leads", lead, expect: 401)
        await call(post, "/api/v1/leads", lead, key: "lr_unknown", expect: 401)
        await call(post, "/api/v1/leads", #"{"offer_id": "8", "email": "a@example.com"}"#, key: "affiliate", expect: 403)
        await call(post, "/api/v1/leads", lead, key: "reader", expect: 403)
        await call(post, "/api/v1/leads", String(repeating: " ", count: 70_000), key: "affiliate", expect: 413)
        await call(post, "/api/v1/leads", "email=a", type: "text/plain", key: "affiliate", expect: 415)
        let bad = await call(
            post, "/api/v1/leads", #"{"offer_id": "7", "email": "no-at", "country": "Germany", "address": 5}"#, key: "affiliate",
            expect: 422)
        XCTAssertEqual(bad.json?["error"]?["fields"]?.arrayValue?.count, 3, bad.text)

        let get = "GET /api/v1/leads/{id}"
        let read = await call(get, "/api/v1/leads/\(id)", key: "affiliate", expect: 200)
        XCTAssertEqual(read.json?["auto_login_url"], .string("https://login.example/\(id)"), read.text)
        await call(get, "/api/v1/leads/nope", key: "affiliate", expect: 404)
        await call(get, "/api/v1/leads/\(id)", expect: 401)
        await call(get, "/api/v1/leads/\(id)", key: "writer", expect: 403)
        await call(get, "/api/v1/leads/\(id)", key: "limited", expect: 200)
        let limited = await call(post, "/api/v1/leads", lead, key: "limited", expect: 429)
        XCTAssertEqual(limited.headers["retry-after"], limited.json?["error"]?["retry_after"]?.int64Value.map(String.init))
        await call(get, "/api/v1/leads/\(id)", key: "limited", expect: 429)
        assertDrove([post, get])
    }

    /// `PATCH /api/v1/leads/{id}` and the lead's `changes`.
    func testLeadChangesAnswerAsDocumented() async throws {
        let patch = "PATCH /api/v1/leads/{id}"
        let id = try await registeredLead()
        let changed = await call(patch, "/api/v1/leads/\(id)", #"{"first_name": "Anne"}"#, key: "affiliate", expect: 202)
        XCTAssertEqual(changed.json?["state"], .string("pending"))
        await call(
            patch, "/api/v1/leads/\(id)", "first_name=Annie", type: "application/x-www-form-urlencoded", key: "affiliate", expect: 202)
        let read = await call("GET /api/v1/leads/{id}", "/api/v1/leads/\(id)", key: "affiliate", expect: 200)
        XCTAssertEqual(read.json?["changes"]?.arrayValue?.first?["action"], .string("update"), read.text)
        let refused = await call(
            "POST /api/v1/leads", "/api/v1/leads?wait=15", #"{"offer_id": "7", "email": "taken@example.com"}"#, key: "affiliate",
            expect: 200)
        let rejected = try XCTUnwrap(refused.json?["id"]?.stringValue)
        await call(patch, "/api/v1/leads/\(rejected)", #"{"first_name": "Anne"}"#, key: "affiliate", expect: 409)
        await call(patch, "/api/v1/leads/nope", #"{"first_name": "Anne"}"#, key: "affiliate", expect: 404)
        await call(patch, "/api/v1/leads/\(id)", #"{"email": "no-at"}"#, key: "affiliate", expect: 422)
        await call(patch, "/api/v1/leads/\(id)", String(repeating: " ", count: 70_000), key: "affiliate", expect: 413)
        await call(patch, "/api/v1/leads/\(id)", "first_name=A", type: "text/plain", key: "affiliate", expect: 415)
        await call(patch, "/api/v1/leads/\(id)", #"{"first_name": "Anne"}"#, expect: 401)
        await call(patch, "/api/v1/leads/\(id)", #"{"first_name": "Anne"}"#, key: "reader", expect: 403)
        await call("GET /api/v1/leads/{id}", "/api/v1/leads/\(id)", key: "limited", expect: 200)
        await call(patch, "/api/v1/leads/\(id)", #"{"first_name": "Anne"}"#, key: "limited", expect: 429)
        assertDrove([patch])
    }
}
