import Foundation
import LeadJSON
import XCTest

@testable import LeadRelayService

/// An offer's payout: read from what ops type, stored exactly, shown by the admin API.
final class OfferPayoutTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!

    override func setUp() async throws {
        temporary = try TemporaryDirectory("payout")
        store = try temporary.sealedStore()
    }

    override func tearDown() async throws { temporary.remove() }

    func testAPayoutIsStoredExactlyAndShown() async throws {
        let admin = Administration(store: store, routes: .none)
        let payout = try AdminInput.payout(amount: "12.10", currency: "eur", basis: "approved", fields: ("payout", "currency", "payout_on"))
        let created = try await admin.createOffer(id: nil, name: "Crypto DE", payout: payout)
        let read = try await store.offer(id: created.id)
        XCTAssertEqual(read?.payout, Payout(amount: Decimal(string: "12.1")!, currency: "EUR", basis: .approved))
        XCTAssertEqual(read?.displayed["payout"], .string("12.1"))
        XCTAssertEqual(read?.displayed["currency"], .string("EUR"))
        XCTAssertEqual(read?.displayed["payout_on"], .string("approved"))
        try await store.save(StoredOffer(id: "9", name: "No payout"))
        let none = try await store.offer(id: "9")
        XCTAssertNil(none?.payout)
        XCTAssertEqual(none?.displayed["payout"], .null)
        let basisDefault = try AdminInput.payout(amount: "25", currency: "USD", basis: nil, fields: ("a", "c", "b"))
        XCTAssertEqual(basisDefault?.basis, .accepted)
        XCTAssertNil(try AdminInput.payout(amount: nil, currency: nil, basis: nil, fields: ("a", "c", "b")))
    }

    func testABadPayoutIsRefusedNamingTheField() {
        let fields = ("--payout", "--currency", "--payout-on")
        let cases: [(String?, String?, String?, String)] = [
            ("25", nil, nil, "--currency"), (nil, "EUR", nil, "--payout"), ("-5", "EUR", nil, "--payout"),
            ("1e3", "EUR", nil, "--payout"), ("0.1234567", "EUR", nil, "--payout"), ("25", "EURO", nil, "--currency"),
            ("25", "E1R", nil, "--currency"), ("25", "EUR", "on_click", "--payout-on"), ("NaN", "EUR", nil, "--payout"),
        ]
        for (amount, currency, basis, field) in cases {
            XCTAssertThrowsError(try AdminInput.payout(amount: amount, currency: currency, basis: basis, fields: fields)) { error in
                guard case AdminError.invalid(let named, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(named, field, "\(String(describing: amount)) \(String(describing: currency)) \(String(describing: basis))")
            }
        }
    }

    func testMoneyTextIsExact() {
        XCTAssertEqual(Money.text(Money.decimal(0.1) + Money.decimal(0.2)), "0.3")
        XCTAssertEqual(Money.text(Money.decimal("19.99")! * 3), "59.97")
        XCTAssertEqual(Money.decimal("12,5"), nil)
    }
}
