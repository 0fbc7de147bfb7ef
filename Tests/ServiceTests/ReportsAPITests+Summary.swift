import Foundation
import LeadJSON
import XCTest

@testable import LeadRelayService

extension ReportsAPITests {
    func testTheSummaryCountsPerDayAndOfferWithRatesRevenueAndPayouts() async throws {
        let answer = await get("/api/v1/reports/summary?\(range)", token: staff[.analyst])
        XCTAssertEqual(answer.status, 200, answer.text)
        let rows = answer.json?["rows"]?.arrayValue ?? []
        XCTAssertEqual(
            rows.map { "\($0["day"]?.stringValue ?? "")/\($0["offer_id"]?.stringValue ?? "")" }, ["2026-12-01/7", "2026-12-02/8"])
        let first = rows[0]
        XCTAssertEqual(first["leads"], .integer(6))
        XCTAssertEqual(first["sent"], .integer(4), "the duplicate and the pending lead went to no buyer")
        XCTAssertEqual(first["outcomes"], .object(["accepted": .integer(3), "rejected": .integer(2), "pending": .integer(1)]))
        XCTAssertEqual(first["reasons"], .object(["cap_reached": .integer(1), "duplicate": .integer(1)]))
        XCTAssertEqual(
            first["stages"], .object(["approve": .integer(1), "wait": .integer(1), "trash": .integer(1), "none": .integer(3)]))
        XCTAssertEqual(first["accepted_rate"], .number(0.75))
        XCTAssertEqual(first["approved_rate"], .number(0.3333))
        XCTAssertEqual(first["payouts"], .object(["EUR": .string("75")]), "25 EUR for each of 3 accepted leads")
        XCTAssertEqual(first["revenue"], .object(["EUR": .string("100")]), "the trashed lead's 80 EUR is taken back")
        let second = rows[1]
        XCTAssertEqual(second["outcomes"], .object(["accepted": .integer(1), "error": .integer(1)]))
        XCTAssertEqual(second["sent"], .integer(1))
        XCTAssertEqual(second["approved_rate"]?.doubleValue, 1)
        XCTAssertEqual(second["accepted_rate"]?.doubleValue, 1)
        XCTAssertEqual(second["payouts"], .object(["USD": .string("10.5")]), "per approved lead")
        XCTAssertEqual(second["revenue"], .object(["USD": .string("40.5")]))
        let totals = answer.json?["totals"]
        XCTAssertEqual(totals?["leads"], .integer(8))
        XCTAssertEqual(totals?["payouts"], .object(["EUR": .string("75"), "USD": .string("10.5")]))

        let own = await get("/api/v1/reports/summary?\(range)&offer_id=7", token: affiliates["A1"])
        let mine = own.json?["rows"]?.arrayValue ?? []
        XCTAssertEqual(mine.count, 1)
        XCTAssertEqual(mine.first?["leads"], .integer(5))
        XCTAssertEqual(mine.first?["payouts"], .object(["EUR": .string("50")]))
        XCTAssertNil(mine.first?["revenue"], "an affiliate never reads the buyer's revenue")

        let csv = await get("/api/v1/reports/summary?\(range)&format=csv", token: staff[.analyst])
        let table = CSVReader.parse(csv.text)
        XCTAssertEqual(table.count, 3, "a header and two rows")
        let header = table[0]
        let cell = { (row: Int, column: String) in table[row][header.firstIndex(of: column)!] }
        XCTAssertEqual(cell(1, "outcome_accepted"), "3")
        XCTAssertEqual(cell(1, "stage_none"), "3")
        XCTAssertEqual(cell(1, "payouts"), "75 EUR")
        XCTAssertEqual(cell(2, "revenue"), "40.5 USD")
        XCTAssertEqual(cell(2, "outcome_retry"), "")
    }

    func testAttemptsAreForEmployeesAndMasked() async throws {
        let id = try XCTUnwrap(seed.ids["capped"])
        for role in EmployeeRole.allCases {
            let answer = await get("/api/v1/leads/\(id)/attempts", token: staff[role])
            XCTAssertEqual(answer.status, 200, "\(role): \(answer.text)")
            let attempt = answer.json?["attempts"]?.arrayValue?.first
            XCTAssertEqual(attempt?["number"], .integer(1))
            XCTAssertEqual(attempt?["integration"], .string("irev"))
            XCTAssertEqual(attempt?["outcome"]?["reason"], .string("cap_reached"))
            XCTAssertEqual(
                attempt?["report"]?["request"]?["body"], .string("email=lead@example.com&api_key=***api_key***"), "as stored, masked")
        }
        let affiliate = await get("/api/v1/leads/\(id)/attempts", token: affiliates["A1"])
        XCTAssertEqual(affiliate.status, 403, "its own lead, but attempts show the buyer's side")
        let intakeKey = await get("/api/v1/leads/\(id)/attempts", token: affiliates["A1-intake"])
        XCTAssertEqual(intakeKey.status, 403)
        let none = await get("/api/v1/leads/\(id)/attempts", token: nil)
        XCTAssertEqual(none.status, 401)
        let missing = await get("/api/v1/leads/no-such-lead/attempts", token: staff[.admin])
        XCTAssertEqual(missing.status, 404)
    }
}
