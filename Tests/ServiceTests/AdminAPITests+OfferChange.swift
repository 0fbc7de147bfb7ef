import Foundation
import LeadJSON
import XCTest

@testable import LeadRelayService

/// `PATCH /api/v1/admin/offers/{id}`: an offer's name, fall-through, duplicate window and
/// payout changed after it was created.
extension AdminAPITests {
    func testAnOffersPayoutAndSettingsAreChanged() async throws {
        let manager = tokens[.manager]
        let set = await send(
            "PATCH", "/api/v1/admin/offers/7", #"{"payout": 25, "currency": "eur", "name": "Crypto DE+AT", "duplicate_window": 3600}"#,
            token: manager)
        XCTAssertEqual(set.status, 200, "\(String(describing: set.json))")
        XCTAssertEqual(set.json?["offer"]?["payout"], .string("25"))
        XCTAssertEqual(set.json?["offer"]?["currency"], .string("EUR"))
        XCTAssertEqual(set.json?["offer"]?["payout_on"], .string("accepted"))
        XCTAssertEqual(set.json?["offer"]?["name"], .string("Crypto DE+AT"))
        let amount = await send("PATCH", "/api/v1/admin/offers/7", #"{"payout": "30.50", "payout_on": "approved"}"#, token: manager)
        XCTAssertEqual(amount.status, 200, "\(String(describing: amount.json))")
        let read = try await store.offer(id: "7")
        let offer = try XCTUnwrap(read)
        XCTAssertEqual(offer.payout, Payout(amount: Decimal(string: "30.5")!, currency: "EUR", basis: .approved), "the currency is kept")
        XCTAssertEqual(offer.duplicateWindow, 3600)
        XCTAssertEqual(offer.name, "Crypto DE+AT")

        let through = await send("PATCH", "/api/v1/admin/offers/7", #"{"fall_through": [], "duplicate_window": null}"#, token: manager)
        XCTAssertEqual(through.status, 200, "\(String(describing: through.json))")
        let cleared = try await store.offer(id: "7")
        XCTAssertEqual(cleared?.fallThrough, [])
        XCTAssertNil(cleared?.duplicateWindow)
        XCTAssertNotNil(cleared?.payout, "fields not given stay")
        let removed = await send("PATCH", "/api/v1/admin/offers/7", #"{"payout": null}"#, token: manager)
        XCTAssertEqual(removed.json?["offer"]?["payout"], .null)
        let none = try await store.offer(id: "7")
        XCTAssertNil(none?.payout)
    }

    func testAnOfferChangeThatDoesNotFitIsRefusedByName() async throws {
        let cases: [(String, String)] = [
            (#"{"payout": 25}"#, "currency"),
            (#"{"currency": "EURO", "payout": 1}"#, "currency"),
            (#"{"payout": "1e3", "currency": "EUR"}"#, "payout"),
            (#"{"payout": 5, "currency": "EUR", "payout_on": "paid"}"#, "payout_on"),
            (#"{"name": " "}"#, "name"),
            (#"{"duplicate_window": 0}"#, "duplicate_window"),
            (#"{"duplicate_window": "1d"}"#, "duplicate_window"),
            (#"{"fall_through": ["capped"]}"#, "fall_through"),
            (#"{"payout": null, "currency": "EUR"}"#, "payout"),
            ("{}", "offer"),
        ]
        for (body, field) in cases {
            let refused = await send("PATCH", "/api/v1/admin/offers/7", body, token: tokens[.manager])
            XCTAssertEqual(refused.status, 422, "\(body): \(String(describing: refused.json))")
            XCTAssertEqual(refused.json?["error"]?["field"], .string(field), body)
        }
        let unchanged = try await store.offer(id: "7")
        XCTAssertEqual(unchanged, StoredOffer(id: "7", name: "Crypto DE"))
        let unknown = await send("PATCH", "/api/v1/admin/offers/99", #"{"name": "X"}"#, token: tokens[.manager])
        XCTAssertEqual(unknown.status, 404)
    }
}
