import Foundation
import LeadJSON
import XCTest

/// The reports and a lead's attempts against docs/openapi.json, for an affiliate's key and
/// employees' keys, JSON and CSV.
extension OpenAPIConformanceTests {
    static let reportOperations = ["GET /api/v1/reports/leads", "GET /api/v1/reports/summary", "GET /api/v1/leads/{id}/attempts"]

    func testReportsAnswerAsDocumented() async throws {
        let id = try await registeredLead()
        _ = try await registeredLead("second@example.com")
        await call("GET /postback/{integration}/{token}", "/postback/relay/t-relay?id=X-\(id)&stage=approve", expect: 200)
        let leads = "GET /api/v1/reports/leads"
        let page = await call(leads, "/api/v1/reports/leads?limit=1", key: "affiliate", expect: 200)
        let cursor = try XCTUnwrap(page.json?["next_cursor"]?.stringValue, page.text)
        let last = await call(leads, "/api/v1/reports/leads?limit=1&cursor=\(cursor)", key: "affiliate", expect: 200)
        XCTAssertEqual(last.json?["next_cursor"], .null, last.text)
        let buyer = await call(leads, "/api/v1/reports/leads?stage=approve&offer_id=7&country=de", key: "analyst", expect: 200)
        XCTAssertEqual(buyer.json?["leads"]?.arrayValue?.first?["integration"], .string("relay"), buyer.text)
        let csv = await call(leads, "/api/v1/reports/leads?limit=1", key: "admin", headers: [("accept", "text/csv")], expect: 200)
        XCTAssertNotNil(csv.headers["x-next-cursor"], "a CSV page with more after it names the next cursor")
        await call(leads, "/api/v1/reports/leads?ofer_id=7", key: "affiliate", expect: 422)
        await call(leads, "/api/v1/reports/leads?affiliate_id=A2", key: "affiliate", expect: 403)
        await call(leads, "/api/v1/reports/leads", key: "manager", expect: 403)
        await call(leads, "/api/v1/reports/leads", expect: 401)

        let summary = "GET /api/v1/reports/summary"
        let counted = await call(summary, "/api/v1/reports/summary", key: "affiliate", expect: 200)
        XCTAssertEqual(counted.json?["totals"]?["leads"], .integer(2), counted.text)
        await call(summary, "/api/v1/reports/summary?include_test=true", key: "analyst", expect: 200)
        await call(summary, "/api/v1/reports/summary?format=csv", key: "analyst", expect: 200)
        await call(summary, "/api/v1/reports/summary?limit=5", key: "affiliate", expect: 422)
        await call(summary, "/api/v1/reports/summary", key: "reader", expect: 403)
        await call(summary, "/api/v1/reports/summary", key: "lr_unknown", expect: 401)
        await call(summary, "/api/v1/reports/summary", key: "limited", expect: 200)
        await call(summary, "/api/v1/reports/summary", key: "limited", expect: 429)
        await call(leads, "/api/v1/reports/leads", key: "limited", expect: 429)

        let attempts = "GET /api/v1/leads/{id}/attempts"
        let stored = await call(attempts, "/api/v1/leads/\(id)/attempts", key: "manager", expect: 200)
        XCTAssertEqual(stored.json?["attempts"]?.arrayValue?.count, 1, stored.text)
        await call(attempts, "/api/v1/leads/nope/attempts", key: "analyst", expect: 404)
        await call(attempts, "/api/v1/leads/\(id)/attempts", key: "affiliate", expect: 403)
        await call(attempts, "/api/v1/leads/\(id)/attempts", expect: 401)
        assertDrove(Self.reportOperations)
    }
}
