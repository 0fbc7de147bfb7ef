import Foundation
import LeadJSON
import XCTest

/// `offer create|set` (the registration wait, the payout and the other settings) and `route add
/// --on-approve` as subprocesses.
final class OfferChangesCommandProcessTests: XCTestCase {
    var dir: TemporaryDirectory!
    let integrations = LeadRelayProcess.root + "/integrations"

    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    override func tearDown() { dir = nil }

    func leadrelay(_ arguments: [String]) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(arguments + ["--integrations", integrations], in: dir.path)
    }

    func json(_ arguments: [String]) throws -> JSONValue {
        let run = try leadrelay(arguments + ["--format", "json"])
        XCTAssertEqual(run.status, 0, run.description)
        return try JSONValue.parse(run.stdout)
    }

    static let altercpa = [
        "--param", "base_url=https://api.cpa.example", "--param", "api_key=1-SECRETkey0123", "--param", "offer_id=5",
        "--param", "merchant_key=2-SECRETmerchant0123",
    ]

    func testAnOfferSetsItsRegistrationWaitWithinSixtySeconds() throws {
        let created = try json(["offer", "create", "--id", "7", "--name", "Sync", "--registration-wait", "15"])
        XCTAssertEqual(created["registration_wait_seconds"], .integer(15))
        let set = try json(["offer", "set", "7", "--registration-wait", "0"])
        XCTAssertEqual(set["registration_wait_seconds"], .integer(0))
        let shown = try json(["offer", "show", "7"])
        XCTAssertEqual(shown["registration_wait_seconds"], .integer(0))
        let tooLong = try leadrelay(["offer", "set", "7", "--registration-wait", "120"])
        XCTAssertEqual(tooLong.status, 1, tooLong.description)
        XCTAssertTrue(tooLong.stderr.contains("registration_wait_seconds"), tooLong.description)
    }

    func testAnOnApproveRouteIsListedAndNeedsTheApprovedAction() throws {
        _ = try json(["offer", "create", "--id", "7", "--name", "Shop"])
        let refused = try leadrelay(
            ["route", "add", "--offer", "7", "--integration", "trackbox", "--on-approve"] + AdminCommandsProcessTests.trackbox)
        XCTAssertEqual(refused.status, 1, refused.description)
        XCTAssertTrue(refused.stderr.contains("does not declare the approved action"), refused.description)
        let added = try json(["route", "add", "--offer", "7", "--integration", "altercpa", "--on-approve"] + Self.altercpa)
        XCTAssertEqual(added["on_approve"], .bool(true))
        let listed = try leadrelay(["route", "list", "--offer", "7"])
        XCTAssertTrue(listed.stdout.contains("on-approve"), listed.stdout)
        let second = try leadrelay(["route", "add", "--offer", "7", "--integration", "altercpa", "--on-approve"] + Self.altercpa)
        XCTAssertEqual(second.status, 1, second.description)
        XCTAssertTrue(second.stderr.contains("on-approve route already"), second.description)
    }

    func testAnOffersPayoutAndSettingsAreChanged() throws {
        _ = try json(["offer", "create", "--id", "7", "--name", "Crypto"])
        let noCurrency = try leadrelay(["offer", "set", "7", "--payout", "25"])
        XCTAssertEqual(noCurrency.status, 1, noCurrency.description)
        XCTAssertTrue(noCurrency.stderr.contains("--currency"), noCurrency.description)
        let set = try json(["offer", "set", "7", "--payout", "25", "--currency", "eur", "--duplicate-window", "24h", "--name", "Crypto DE"])
        XCTAssertEqual(set["payout"], .string("25"))
        XCTAssertEqual(set["currency"], .string("EUR"))
        XCTAssertEqual(set["duplicate_window"], .integer(86_400))
        XCTAssertEqual(set["name"], .string("Crypto DE"))
        let amount = try json(["offer", "set", "7", "--payout", "30.5", "--payout-on", "approved", "--fall-through", ""])
        XCTAssertEqual(amount["payout"], .string("30.5"))
        XCTAssertEqual(amount["currency"], .string("EUR"), "the currency is kept")
        XCTAssertEqual(amount["payout_on"], .string("approved"))
        XCTAssertEqual(amount["fall_through"], .array([]))
        let cleared = try json(["offer", "set", "7", "--no-payout", "--no-duplicate-window"])
        XCTAssertEqual(cleared["payout"], .null)
        XCTAssertEqual(cleared["duplicate_window"], .null)
        XCTAssertEqual(cleared["name"], .string("Crypto DE"))
        let bad = try leadrelay(["offer", "set", "7", "--payout", "1e3", "--currency", "EUR"])
        XCTAssertEqual(bad.status, 1, bad.description)
        XCTAssertTrue(bad.stderr.contains("--payout"), bad.description)
        let unknown = try leadrelay(["offer", "set", "9", "--name", "X"])
        XCTAssertEqual(unknown.status, 1, unknown.description)
        XCTAssertTrue(unknown.stderr.contains("no offer 9"), unknown.description)
        let conflicting = try leadrelay(["offer", "set", "7", "--no-payout", "--payout", "3"])
        XCTAssertEqual(conflicting.status, 2, conflicting.description)
    }
}
