import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// The promises every `ReportStore` keeps, over the leads of `ReportSeed`; each
/// implementation's test class runs them all.
struct ReportStoreContract {
    /// A fresh, empty store that can seal the leads' passwords.
    let make: () async throws -> any ReportSeed.Store

    static let everything = LeadReportFilter(from: ReportSeed.day1, to: ReportSeed.day2 + 86_400)

    func seeded() async throws -> (any ReportSeed.Store, ReportSeed) {
        let store = try await make()
        return (store, try await ReportSeed.seed(store))
    }

    /// Pages in the order of arrival: after a cursor, only later leads; test leads only when asked.
    func pagesFollowTheOrderOfArrival() async throws {
        let (store, seed) = try await seeded()
        var filter = Self.everything
        filter.includeTest = true
        var seen: [ReportedLead] = []
        var after: Int64?
        while true {
            let page = try await store.reportLeads(filter, afterSeq: after, limit: 2)
            seen += page
            guard page.count == 2 else { break }
            after = page.last?.seq
        }
        XCTAssertEqual(seen.map(\.seq), seen.map(\.seq).sorted(), "in the order of arrival")
        XCTAssertEqual(Set(seen.map(\.id)), Set(seed.ids.values))
        XCTAssertEqual(seen.count, seed.ids.count, "each once")
        let plain = try await store.reportLeads(Self.everything, afterSeq: nil, limit: 100)
        XCTAssertFalse(plain.contains { $0.isTest })
        XCTAssertTrue(plain.allSatisfy { $0.fields["password"] == nil }, "no password, sealed or not")
    }

    /// Revenue is the newest applied approve amount while the stage is approve.
    func revenueFollowsTheStage() async throws {
        let (store, seed) = try await seeded()
        let leads = try await store.reportLeads(Self.everything, afterSeq: nil, limit: 100)
        let revenue = Dictionary(uniqueKeysWithValues: leads.map { ($0.id, $0.revenue) })
        XCTAssertEqual(revenue[seed.ids["accepted"]!], Amount(value: 100, currency: "EUR"))
        XCTAssertEqual(revenue[seed.ids["trashed"]!], .some(nil), "approved, then trashed: taken back")
        XCTAssertEqual(revenue[seed.ids["approved8"]!], Amount(value: Decimal(string: "40.5")!, currency: "USD"))
        XCTAssertEqual(revenue[seed.ids["waiting"]!], .some(nil))
        let summary = try await store.reportSummary(Self.everything)
        XCTAssertEqual(summary.revenue.count, 2)
        XCTAssertEqual(summary.counts.reduce(0) { $0 + $1.leads }, 8)
        let accepted = try XCTUnwrap(leads.first { $0.id == seed.ids["accepted"] })
        XCTAssertEqual(accepted.integration, "irev")
        XCTAssertEqual(accepted.routeID, seed.route7)
        XCTAssertEqual(accepted.attempts, 1)
    }

    /// Old leads lose what identifies someone; counts and money stay; leads in delivery wait.
    func anonymisingKeepsCountsAndMoney() async throws {
        let (store, seed) = try await seeded()
        let before = try await store.reportSummary(Self.everything)
        let cleared = try await store.anonymise(receivedBefore: ReportSeed.day2, now: ReportSeed.day2 + 2 * 86_400, limit: 100)
        XCTAssertEqual(cleared, 5, "day 1's accepted and rejected leads; the pending and test leads are not final yet")
        let after = try await store.reportSummary(Self.everything)
        XCTAssertEqual(after.counts, before.counts, "counts, states, reasons and stages stay")
        XCTAssertEqual(after.revenue, before.revenue, "the buyer's money stays")

        let rows = try await store.reportLeads(Self.everything, afterSeq: nil, limit: 100)
        let accepted = try XCTUnwrap(rows.first { $0.id == seed.ids["accepted"] })
        XCTAssertNotNil(accepted.anonymisedAt)
        XCTAssertEqual(accepted.fields, ["country": .string("DE"), "sub_id": .string("sub-0")], "only what identifies no one")
        XCTAssertEqual(accepted.outcome?.externalID, "X1")
        XCTAssertNil(accepted.outcome?.message, "the buyer's words go")
        XCTAssertNil(accepted.outcome?.redirectURL, "the auto-login address carries the e-mail")
        let attempts = try await store.attempts(leadID: accepted.id)
        XCTAssertEqual(attempts.first?.report, .object(["anonymised": .bool(true)]))
        XCTAssertEqual(attempts.first?.outcome.kind, .accepted)
        XCTAssertNil(attempts.first?.outcome.message)
        let history = try await store.statusHistory(leadID: accepted.id)
        XCTAssertTrue(history.entries.allSatisfy { $0.comment == nil })
        XCTAssertEqual(history.stage, .approve)

        let pending = try XCTUnwrap(rows.first { $0.id == seed.ids["pending"] })
        XCTAssertNil(pending.anonymisedAt, "a lead still to be delivered keeps its fields")
        XCTAssertEqual(pending.fields["email"], .string("lead3@example.com"))
        XCTAssertNil(rows.first { $0.id == seed.ids["held8"] }?.anonymisedAt, "received after the cut")
        let again = try await store.anonymise(receivedBefore: ReportSeed.day2, now: ReportSeed.day2 + 3 * 86_400, limit: 100)
        XCTAssertEqual(again, 0, "a lead is anonymised once")
        let held = try await store.held(HeldLeads(offerID: "8"))
        XCTAssertEqual(held, [seed.ids["held8"]!])
        _ = try await store.anonymise(receivedBefore: ReportSeed.day2 + 86_400, now: ReportSeed.day2 + 3 * 86_400, limit: 100)
        let heldAfter = try await store.held(HeldLeads(offerID: "8"))
        XCTAssertEqual(heldAfter, [], "an anonymised held lead has nothing left to send")
    }
}
