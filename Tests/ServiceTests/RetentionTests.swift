import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// The retention period on a real SQLite store: old leads lose their personal fields, their
/// attempts' exchanges and the buyer's words; counts, stages and money stay.
final class RetentionTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var seed = ReportSeed()
    let everything = LeadReportFilter(from: ReportSeed.day1, to: ReportSeed.day2 + 86_400)

    override func setUp() async throws {
        temporary = try TemporaryDirectory("retention")
        store = try temporary.sealedStore()
        seed = try await ReportSeed.seed(store)
    }

    override func tearDown() async throws { temporary.remove() }

    func testOldLeadsAreAnonymisedAndTheirCountsAndMoneyStay() async throws {
        let before = try await store.reportSummary(everything)
        // 2 days after day 2's start: day 1's leads are past a 2-day period, day 2's are not.
        var retention = Retention(store: store, days: 2)
        retention.batch = 2
        let cleared = try await retention.run(now: ReportSeed.day2 + 2 * 86_400)
        XCTAssertEqual(cleared, 5, "day 1's accepted and rejected leads; the pending and test leads are not final yet")

        let after = try await store.reportSummary(everything)
        XCTAssertEqual(after.counts, before.counts, "counts, states, reasons and stages stay")
        XCTAssertEqual(after.revenue, before.revenue, "the buyer's money stays")

        let rows = try await store.reportLeads(everything, afterSeq: nil, limit: 100)
        let accepted = try XCTUnwrap(rows.first { $0.id == seed.ids["accepted"] })
        XCTAssertNotNil(accepted.anonymisedAt)
        XCTAssertEqual(accepted.fields, ["country": .string("DE"), "sub_id": .string("sub-0")], "only what identifies no one")
        XCTAssertEqual(accepted.outcome?.externalID, "X1")
        XCTAssertNil(accepted.outcome?.message, "the buyer's words go")
        XCTAssertNil(accepted.outcome?.redirectURL, "the auto-login address carries the e-mail")
        XCTAssertEqual(accepted.revenue, Amount(value: 100, currency: "EUR"))
        let attempts = try await store.attempts(leadID: accepted.id)
        XCTAssertEqual(attempts.first?.report, .object(["anonymised": .bool(true)]))
        XCTAssertEqual(attempts.first?.outcome.kind, .accepted)
        let history = try await store.statusHistory(leadID: accepted.id)
        XCTAssertTrue(history.entries.allSatisfy { $0.comment == nil })
        XCTAssertEqual(history.stage, .approve)

        let pending = try XCTUnwrap(rows.first { $0.id == seed.ids["pending"] })
        XCTAssertNil(pending.anonymisedAt, "a lead still to be delivered keeps its fields")
        XCTAssertEqual(pending.fields["email"], .string("lead3@example.com"))
        let held = try XCTUnwrap(rows.first { $0.id == seed.ids["held8"] })
        XCTAssertNil(held.anonymisedAt, "day 2 is inside the period")
        let again = try await retention.run(now: ReportSeed.day2 + 2 * 86_400)
        XCTAssertEqual(again, 0, "a lead is anonymised once")
    }

    func testAnAnonymisedHeldLeadIsNotRedelivered() async throws {
        let cleared = try await Retention(store: store, days: 1).run(now: ReportSeed.day2 + 10 * 86_400)
        XCTAssertEqual(cleared, 7, "every lead that is not still to be delivered")
        let held = try await store.held(HeldLeads(offerID: "8"))
        XCTAssertEqual(held, [], "nothing personal is left to send")
    }

    func testTheSettingIsReadAndCheckedByName() async throws {
        let set = try await ServiceSettings.read(file: nil, environment: ["LEADRELAY_RETENTION_DAYS": "90"])
        XCTAssertEqual(set.retentionDays, 90)
        let unset = try await ServiceSettings.read(file: nil, environment: [:])
        XCTAssertNil(unset.retentionDays, "by default leads are kept")
        do {
            _ = try await ServiceSettings.read(file: nil, environment: ["LEADRELAY_RETENTION_DAYS": "0"])
            XCTFail("0 days is refused")
        } catch {
            XCTAssertTrue(error.description.contains("retention.days"), error.description)
        }
    }
}
