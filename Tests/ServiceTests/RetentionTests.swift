import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// The retention period (`Retention`, `retention.days`) on a real SQLite store; what
/// anonymising clears and keeps is `ReportStoreContract`'s.
final class RetentionTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var seed = ReportSeed()

    override func setUp() async throws {
        temporary = try TemporaryDirectory("retention")
        store = try temporary.sealedStore()
        seed = try await ReportSeed.seed(store)
    }

    override func tearDown() async throws { temporary.remove() }

    func testARunAnonymisesEveryLeadPastThePeriodInBatches() async throws {
        // 2 days after day 2's start: day 1's leads are past a 2-day period, day 2's are not.
        var retention = Retention(store: store, days: 2)
        retention.batch = 2
        let cleared = try await retention.run(now: ReportSeed.day2 + 2 * 86_400)
        XCTAssertEqual(cleared, 5, "three batches: 2, 2 and 1")
        let everything = LeadReportFilter(from: ReportSeed.day1, to: ReportSeed.day2 + 86_400)
        let rows = try await store.reportLeads(everything, afterSeq: nil, limit: 100)
        XCTAssertEqual(
            Set(rows.filter { $0.anonymisedAt != nil }.map(\.id)),
            Set(["accepted", "capped", "waiting", "trashed", "duplicate"].compactMap { seed.ids[$0] }))
        let later = try await Retention(store: store, days: 1).run(now: ReportSeed.day2 + 10 * 86_400)
        XCTAssertEqual(later, 2, "day 2's final leads; pending and test leads wait for their delivery")
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
