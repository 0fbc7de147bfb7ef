import Foundation
import IntegrationRuntime
import LeadJSON

@testable import LeadRelayService

/// Leads in many states and stages for the reports' tests, written through the store's
/// own operations (insert, claim, complete, status updates): two offers with payouts, two
/// affiliates, leads accepted, rejected by the buyer and as duplicates, pending, held in
/// error, approved with revenue, trashed, and one test lead.
struct ReportSeed {
    /// What a seeded store is: every store the reports read.
    typealias Store = LeadStore & OfferStore & AccessStore & StatusStore & ReportStore

    /// 2026-12-01T00:00:00Z and the next day.
    static let day1 = 1_796_083_200.0
    static let day2 = day1 + 86_400
    /// A first name CSV must quote (a comma, quotes, a line break) and a last name a
    /// spreadsheet would run as a formula.
    static let trickyFirstName = "Ann, \"the\"\nBoss"
    static let formulaLastName = "=HYPERLINK(\"http://x.example\")"

    /// Lead ids by name: `accepted`, `capped`, `pending`, `waiting`, `duplicate`, `test`,
    /// `trashed` (A2), `approved8`, `held8`.
    var ids: [String: String] = [:]
    var route7: Int64 = 0
    var route8: Int64 = 0

    static func seed(_ store: any Store) async throws -> ReportSeed {
        var seed = ReportSeed()
        try await store.save(
            StoredOffer(id: "7", name: "Crypto DE", payout: Payout(amount: 25, currency: "EUR", basis: .accepted)))
        try await store.save(
            StoredOffer(id: "8", name: "Forex AT", payout: Payout(amount: Decimal(string: "10.5")!, currency: "USD", basis: .approved)))
        seed.route7 = try await store.save(OfferRoute(offerID: "7", integration: "irev", postbackToken: "token-7")).id
        seed.route8 = try await store.save(OfferRoute(offerID: "8", integration: "trackbox", postbackToken: "token-8")).id
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7", "8"]))
        try await store.save(Affiliate(id: "A2", name: "Other Buyer", offers: ["7"]))

        let day1 = Self.day1
        let day2 = Self.day2
        let r7 = seed.route7
        let r8 = seed.route8
        seed.ids["accepted"] = try await seed.deliver(
            store, "7", "A1", at: day1 + 100, fields: ["first_name": .string(trickyFirstName), "last_name": .string(formulaLastName)],
            route: r7,
            Outcome(.accepted, message: "welcome from BuyerCorp", externalID: "X1", redirectURL: "https://buyer.example/login?e=a1"))
        seed.ids["capped"] = try await seed.deliver(
            store, "7", "A1", at: day1 + 200, route: r7, Outcome(.rejected, reason: .capReached, message: "BuyerCorp: cap full today"))
        seed.ids["waiting"] = try await seed.deliver(store, "7", "A1", at: day1 + 300, route: r7, Outcome(.accepted, externalID: "X4"))
        seed.ids["trashed"] = try await seed.deliver(store, "7", "A2", at: day1 + 400, route: r7, Outcome(.accepted, externalID: "X7"))
        seed.ids["approved8"] = try await seed.deliver(store, "8", "A1", at: day2 + 100, route: r8, Outcome(.accepted, externalID: "X8"))
        seed.ids["held8"] = try await seed.deliver(store, "8", "A1", at: day2 + 200, route: nil, .error("offer 8 has no route"))
        seed.ids["duplicate"] = try await seed.insert(
            store, NewLead(offerID: "7", affiliateID: "A1", fields: Self.person(9), rejection: NewLead.duplicate, receivedAt: day1 + 500))
        seed.ids["pending"] = try await seed.insert(
            store, NewLead(offerID: "7", affiliateID: "A1", fields: Self.person(3), receivedAt: day1 + 600))
        seed.ids["test"] = try await seed.insert(
            store, NewLead(offerID: "7", affiliateID: "A1", fields: Self.person(6), isTest: true, receivedAt: day1 + 700))

        _ = try await store.record(
            [
                StatusUpdate(externalID: "X1", stage: .wait, status: "new"),
                StatusUpdate(externalID: "X1", stage: .approve, status: "ftd", comment: "paid by card", amount: 100, currency: "EUR"),
                StatusUpdate(externalID: "X4", stage: .wait, status: "callback"),
                StatusUpdate(externalID: "X7", stage: .approve, amount: 80, currency: "EUR"),
                StatusUpdate(externalID: "X7", stage: .trash, status: "fraud"),
            ], routeID: r7, source: .postback, now: day2)
        _ = try await store.record(
            [StatusUpdate(externalID: "X8", stage: .approve, amount: 40.5, currency: "USD")], routeID: r8, source: .postback,
            now: day2 + 500)
        return seed
    }

    static func person(_ n: Int, country: String = "DE") -> JSONValue {
        .object([
            "first_name": .string("First\(n)"), "last_name": .string("Last\(n)"), "email": .string("lead\(n)@example.com"),
            "phone": .string("+49 30 555 00\(n)"), "country": .string(country), "sub_id": .string("sub-\(n)"),
            "password": .string("secret-\(n)"), "ip": .string("203.0.113.\(n)"),
        ])
    }

    mutating func insert(_ store: any Store, _ lead: NewLead) async throws -> String {
        guard case .inserted(let stored) = try await store.insert(lead) else { throw SeedError.notInserted }
        return stored.id
    }

    /// Inserts a lead, claims it (nothing else is due) and completes its first attempt.
    mutating func deliver(
        _ store: any Store, _ offer: String, _ affiliate: String, at time: Double, fields: [String: JSONValue] = [:], route: Int64?,
        _ outcome: Outcome
    ) async throws -> String {
        var merged = Self.person(ids.count).objectValue ?? [:]
        merged.merge(fields) { _, new in new }
        let id = try await insert(store, NewLead(offerID: offer, affiliateID: affiliate, fields: .object(merged), receivedAt: time))
        let claimed = try await store.claimDue(now: time + 1, limit: 10, owner: "seed", leaseSeconds: 60)
        guard claimed.map(\.id) == [id] else { throw SeedError.notInserted }
        let state: DeliveryState =
            switch outcome.kind {
            case .accepted: .accepted
            case .rejected: .rejected
            default: .error
            }
        try await store.complete(
            AttemptRecord(
                leadID: id, number: 1, integration: route == nil ? "none" : (offer == "7" ? "irev" : "trackbox"), startedAt: time + 1,
                endedAt: time + 2, outcome: outcome,
                report: .object(["request": .object(["body": .string("email=lead@example.com&api_key=***api_key***")])]),
                routeID: route),
            state: state, owner: "seed", now: time + 2)
        return id
    }

    enum SeedError: Error { case notInserted }
}
