import Foundation
import LeadRelayService
import XCTest

/// What `Administration` promises beyond one call: concurrent creations never replace
/// one another (the CLI and the admin API may run at once on one store).
final class AdministrationTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var admin: Administration!

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("administration")
        admin = Administration(store: try temporary.sealedStore(), routes: .none)
    }

    override func tearDownWithError() throws { temporary.remove() }

    /// Failed before: a check then an upsert let two creations under one id both succeed,
    /// the second replacing the first.
    func testConcurrentCreationsUnderOneIDLeaveOneAndRefuseTheRest() async throws {
        let admin = self.admin!
        let outcomes = await withTaskGroup(of: Result<String, AdminError>.self) { group in
            for i in 0..<8 {
                group.addTask {
                    do throws(AdminError) { return .success(try await admin.createOffer(id: "7", name: "Offer \(i)").name) } catch {
                        return .failure(error)
                    }
                }
                group.addTask {
                    do throws(AdminError) { return .success(try await admin.createAffiliate(id: "A1", name: "Affiliate \(i)").name) } catch
                    {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<String, AdminError>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let created = outcomes.compactMap { try? $0.get() }
        XCTAssertEqual(created.filter { $0.hasPrefix("Offer") }.count, 1, "\(outcomes)")
        XCTAssertEqual(created.filter { $0.hasPrefix("Affiliate") }.count, 1, "\(outcomes)")
        for case .failure(let error) in outcomes {
            guard case .exists = error else { return XCTFail("\(error)") }
        }
        let offer = try await admin.offer("7")
        XCTAssertTrue(created.contains(offer.name), "the stored offer is the one that was created")
    }

    /// Failed before: concurrent creations without an id took the same next number.
    func testConcurrentCreationsWithoutAnIDTakeDistinctNumbers() async throws {
        let admin = self.admin!
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 { group.addTask { try await admin.createOffer(id: nil, name: "Offer \(i)").id } }
            var all: [String] = []
            for try await id in group { all.append(id) }
            return all
        }
        XCTAssertEqual(Set(ids), Set((1...8).map(String.init)))
        let offers = try await admin.offers()
        XCTAssertEqual(offers.count, 8)
    }

    /// Failed before: each grant read the affiliate and wrote it back whole, so grants at
    /// once lost one another's offers.
    func testConcurrentGrantsAreAllKept() async throws {
        let admin = self.admin!
        for i in 1...8 { _ = try await admin.createOffer(id: "\(i)", name: "Offer \(i)") }
        _ = try await admin.createAffiliate(id: "A1", name: "Media Buyer")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 1...8 { group.addTask { _ = try await admin.grant(affiliateID: "A1", offers: ["\(i)"]) } }
            try await group.waitForAll()
        }
        let affiliate = try await admin.affiliate("A1")
        XCTAssertEqual(affiliate.offers, Set((1...8).map(String.init)))
    }
}
