import IntegrationRuntime
import LeadJSON
import LeadRelayService
import XCTest

/// The promises every `StatusStore` keeps; each implementation's test class runs them all.
struct StatusStoreContract {
    /// A fresh, empty store.
    let make: () async throws -> any StatusStore & LeadStore & OfferStore

    static let now = LeadStoreContract.now

    /// A store with offer 7 and its routes `irev` (token `t-irev`) and `trackbox` (`t-tb`).
    func prepared() async throws -> (any StatusStore & LeadStore & OfferStore, irev: OfferRoute, trackbox: OfferRoute) {
        let store = try await make()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        let irev = try await store.save(OfferRoute(offerID: "7", integration: "irev", postbackToken: "t-irev"))
        let trackbox = try await store.save(OfferRoute(offerID: "7", integration: "trackbox", priority: 1, postbackToken: "t-tb"))
        return (store, irev, trackbox)
    }

    /// A lead accepted through `route` under the network id `external`, `at` seconds after `now`.
    func accepted(
        _ store: any LeadStore, _ n: Int, through route: OfferRoute, external: String?, at offset: Double = 0
    ) async throws -> String {
        guard case .inserted(let lead) = try await store.insert(LeadStoreContract.newLead(n, at: Self.now + offset)) else {
            throw StoreError.unavailable("not inserted")
        }
        _ = try await store.claimDue(now: Self.now + offset + 1_000, limit: 100, owner: "p", leaseSeconds: 30)
        let record = AttemptRecord(
            leadID: lead.id, number: 1, integration: route.integration, startedAt: Self.now + offset,
            endedAt: Self.now + offset + 1, outcome: Outcome(.accepted, externalID: external), report: .object([:]),
            routeID: route.id)
        try await store.complete(record, state: .accepted, owner: "p", now: Self.now + offset + 1)
        return lead.id
    }

    func updatesMatchTheLeadTheRouteAcceptedAndUnknownOnesAreCounted() async throws {
        let (store, irev, trackbox) = try await prepared()
        let lead = try await accepted(store, 1, through: irev, external: "ext-1")
        let other = try await accepted(store, 2, through: trackbox, external: "ext-2")
        let recording = try await store.record(
            [
                StatusUpdate(externalID: "ext-1", stage: .wait, status: "New"),
                StatusUpdate(externalID: "ext-2", stage: .approve, status: "FTD"),  // another route's lead
                StatusUpdate(externalID: "nobody", stage: .trash),
                StatusUpdate(externalID: nil, leadID: other, stage: .approve),  // LeadRelay's id, another route's
            ], routeID: irev.id, source: .postback, now: Self.now + 10)
        XCTAssertEqual(recording.stored, 1)
        XCTAssertEqual(recording.unknown, ["ext-2", "nobody", other])
        XCTAssertEqual(recording.changes, [StageChange(leadID: lead, from: nil, to: .wait)])
        let history = try await store.statusHistory(leadID: lead)
        XCTAssertEqual(history.stage, .wait)
        XCTAssertEqual(history.entries.map(\.status), ["New"])
        XCTAssertEqual(history.entries.first?.source, .postback)
        XCTAssertEqual(history.entries.first?.externalID, "ext-1")
        let untouched = try await store.statusHistory(leadID: other)
        XCTAssertNil(untouched.stage, "an update through another route does not reach the lead")
        let byOwnID = try await store.record(
            [StatusUpdate(externalID: nil, leadID: other, stage: .hold, status: "Callback")], routeID: trackbox.id, source: .range,
            now: Self.now + 11)
        XCTAssertEqual(byOwnID.stored, 1, "an update naming LeadRelay's id finds the lead its route accepted")
    }

    func theStageMovesByTheRulesAndDuplicatesAreIgnored() async throws {
        let (store, irev, _) = try await prepared()
        let lead = try await accepted(store, 1, through: irev, external: "ext-1")
        func record(_ update: StatusUpdate, at offset: Double) async throws -> StatusRecording {
            try await store.record([update], routeID: irev.id, source: .processing, now: Self.now + offset)
        }
        var r = try await record(StatusUpdate(externalID: "ext-1", stage: .wait, status: "New"), at: 10)
        XCTAssertEqual(r.stored, 1)
        r = try await record(StatusUpdate(externalID: "ext-1", stage: .wait, status: "New"), at: 20)
        XCTAssertEqual(r.duplicates, 1, "a poll that finds nothing new stores nothing")
        r = try await record(StatusUpdate(externalID: "ext-1", stage: .hold, status: "Callback", at: "2026-01-01T01:00:00Z"), at: 30)
        XCTAssertEqual(r.changes, [StageChange(leadID: lead, from: .wait, to: .hold)])
        r = try await record(StatusUpdate(externalID: "ext-1", stage: .wait, status: "No answer", at: "2026-01-01T00:30:00Z"), at: 40)
        XCTAssertEqual(r.stored, 1, "an older update is kept in the history")
        XCTAssertEqual(r.changes, [], "an older update does not move the stage back")
        r = try await record(
            StatusUpdate(externalID: "ext-1", stage: .approve, status: "FTD", amount: 250, currency: "USD", at: "2026-01-01T02:00:00Z"),
            at: 50)
        XCTAssertEqual(r.changes, [StageChange(leadID: lead, from: .hold, to: .approve)])
        r = try await record(StatusUpdate(externalID: "ext-1", stage: .wait, status: "New"), at: 60)
        XCTAssertEqual(r.stored, 1)
        XCTAssertEqual(r.changes, [], "a final stage is not taken back to processing")
        r = try await record(
            StatusUpdate(externalID: "ext-1", stage: .approve, status: "FTD", amount: 250, currency: "USD", at: "2026-01-01T02:00:00Z"),
            at: 70)
        XCTAssertEqual(r.duplicates, 1, "the same update with its time again (a postback after a poll)")
        r = try await record(StatusUpdate(externalID: "ext-1", stage: .trash, status: "Fraud", at: "2026-01-01T03:00:00Z"), at: 80)
        XCTAssertEqual(r.changes, [StageChange(leadID: lead, from: .approve, to: .trash)], "a later final stage replaces a final one")
        let history = try await store.statusHistory(leadID: lead)
        XCTAssertEqual(history.stage, .trash)
        XCTAssertEqual(history.entries.map(\.stage), [.wait, .hold, .wait, .approve, .wait, .trash])
        XCTAssertEqual(history.entries.map(\.applied), [true, true, false, true, false, true])
        XCTAssertEqual(history.entries[3].amount, 250)
        XCTAssertEqual(history.entries[3].currency, "USD")
        XCTAssertEqual(history.entries[3].at, Self.now + 7_200)
        XCTAssertEqual(history.stages.map(\.stage), [.wait, .hold, .approve, .trash])
    }

    func checksCoverTheRoutesLeadsInTheWindowInBatches() async throws {
        let (store, irev, trackbox) = try await prepared()
        var leads: [String] = []
        for n in 1...5 { leads.append(try await accepted(store, n, through: irev, external: "ext-\(n)", at: Double(n) * 100)) }
        _ = try await accepted(store, 6, through: irev, external: nil, at: 600)  // no network id: nothing to ask about
        _ = try await accepted(store, 7, through: trackbox, external: "tb-7", at: 700)
        _ = try await store.record(
            [StatusUpdate(externalID: "ext-2", stage: .approve), StatusUpdate(externalID: "ext-3", stage: .hold)], routeID: irev.id,
            source: .processing, now: Self.now + 1_000)
        let first = try await store.checkable(routeID: irev.id, check: .processing, acceptedSince: Self.now, after: nil, limit: 2)
        XCTAssertEqual(first.map(\.id), [leads[0], leads[2]], "final leads are done; hold is still in processing")
        XCTAssertEqual(first.map(\.externalID), ["ext-1", "ext-3"])
        XCTAssertEqual(first.first?.createdAt, Self.now + 100)
        let rest = try await store.checkable(routeID: irev.id, check: .processing, acceptedSince: Self.now, after: first.last, limit: 2)
        XCTAssertEqual(rest.map(\.id), [leads[3], leads[4]])
        let end = try await store.checkable(routeID: irev.id, check: .processing, acceptedSince: Self.now, after: rest.last, limit: 2)
        XCTAssertEqual(end, [])
        let young = try await store.checkable(
            routeID: irev.id, check: .processing, acceptedSince: Self.now + 350, after: nil, limit: 10)
        XCTAssertEqual(young.map(\.id), [leads[3], leads[4]], "leads accepted before the window are no longer checked")
        let approved = try await store.checkable(routeID: irev.id, check: .approved, acceptedSince: Self.now, after: nil, limit: 10)
        XCTAssertEqual(approved.map(\.id), [leads[1]])
    }

    func routesKeepTheirStatusScheduleAndAreFoundByTheirPostbackToken() async throws {
        let (store, irev, _) = try await prepared()
        XCTAssertEqual(irev.status, StatusSchedule(), "defaults")
        var route = irev
        route.status = StatusSchedule(checks: [.range, .approved], intervalSeconds: 30, windowSeconds: 7 * 86_400, rangeSeconds: 3_600)
        _ = try await store.save(route)
        let found = try await store.route(postbackToken: "t-irev")
        XCTAssertEqual(found?.id, irev.id)
        XCTAssertEqual(found?.status, route.status)
        XCTAssertEqual(found?.status.orderedChecks, [.approved, .range])
        let missing = try await store.route(postbackToken: "t-nope")
        XCTAssertNil(missing)
    }
}
