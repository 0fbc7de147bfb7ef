import Foundation
import LeadJSON
import XCTest

@testable import LeadRelayService

extension ReportsAPITests {
    /// Reports price with the offer's payout as it is when they run: a changed payout
    /// reprices the offer's earlier leads, and a changed basis moves which leads earn it.
    func testAChangedPayoutRepricesTheOffersLeadsInReports() async throws {
        let admin = Administration(store: store, routes: .none)
        var amount = OfferChange()
        amount.payout = "30"
        let changed = try await admin.changeOffer("7", amount)
        XCTAssertEqual(changed.payout, Payout(amount: 30, currency: "EUR", basis: .accepted), "currency and basis kept")
        let repriced = await get("/api/v1/reports/summary?\(range)&offer_id=7", token: staff[.analyst])
        XCTAssertEqual(
            repriced.json?["rows"]?.arrayValue?.first?["payouts"], .object(["EUR": .string("90")]), "30 EUR for each of 3 accepted leads")
        let row = await get("/api/v1/reports/leads?\(range)&offer_id=7", token: staff[.analyst])
        let accepted = row.json?["leads"]?.arrayValue?.first { $0["id"]?.stringValue == seed.ids["accepted"] }
        XCTAssertEqual(accepted?["payout"], .string("30"))

        var basis = OfferChange()
        basis.payoutOn = "approved"
        _ = try await admin.changeOffer("7", basis)
        let approved = await get("/api/v1/reports/summary?\(range)&offer_id=7", token: staff[.analyst])
        XCTAssertEqual(
            approved.json?["rows"]?.arrayValue?.first?["payouts"], .object(["EUR": .string("30")]), "only the lead at stage approve")
    }
}
