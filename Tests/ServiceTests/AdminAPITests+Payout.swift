import LeadJSON
import XCTest

@testable import LeadRelayService

extension AdminAPITests {
    func testAnOfferIsCreatedWithItsPayout() async throws {
        let created = await send(
            "POST", "/api/v1/admin/offers", #"{"name": "Forex AT", "payout": 12.5, "currency": "usd", "payout_on": "approved"}"#,
            token: tokens[.manager])
        XCTAssertEqual(created.status, 201, "\(String(describing: created.json))")
        XCTAssertEqual(created.json?["offer"]?["payout"], .string("12.5"))
        XCTAssertEqual(created.json?["offer"]?["currency"], .string("USD"))
        XCTAssertEqual(created.json?["offer"]?["payout_on"], .string("approved"))
        let text = await send(
            "POST", "/api/v1/admin/offers", #"{"name": "Text", "payout": "25.00", "currency": "EUR"}"#, token: tokens[.admin])
        XCTAssertEqual(text.json?["offer"]?["payout"], .string("25"))
        XCTAssertEqual(text.json?["offer"]?["payout_on"], .string("accepted"))
        let listed = await send("GET", "/api/v1/admin/offers", token: tokens[.manager])
        XCTAssertEqual(listed.json?["offers"]?.arrayValue?.first { $0["id"] == .string("7") }?["payout"], .null)
        let bad = await send("POST", "/api/v1/admin/offers", #"{"name": "Bad", "payout": 25, "currency": "EURO"}"#, token: tokens[.admin])
        XCTAssertEqual(bad.status, 422)
        XCTAssertEqual(bad.json?["error"]?["field"], .string("currency"))
        let flag = await send("POST", "/api/v1/admin/offers", #"{"name": "Bad", "payout": true, "currency": "EUR"}"#, token: tokens[.admin])
        XCTAssertEqual(flag.json?["error"]?["field"], .string("payout"))
    }
}
