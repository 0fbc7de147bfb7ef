import XCTest

@testable import LeadRelayService

extension SQLiteStoreTests {
    var reports: ReportStoreContract {
        let temporary = self.temporary!
        return ReportStoreContract(make: { try temporary.sealedStore() })
    }

    func testReportPagesFollowTheOrderOfArrival() async throws { try await reports.pagesFollowTheOrderOfArrival() }
    func testReportRevenueFollowsTheStage() async throws { try await reports.revenueFollowsTheStage() }
    func testAnonymisingKeepsCountsAndMoney() async throws { try await reports.anonymisingKeepsCountsAndMoney() }
}
