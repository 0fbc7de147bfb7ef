import IntegrationRuntime
import LeadJSON
import LeadRelayService
import XCTest

extension LeadStoreContract {
    func theBacklogCountsDueScheduledAndSendingLeads() async throws {
        let store = try await make()
        let empty = try await store.backlog(now: Self.now)
        XCTAssertEqual(empty, LeadBacklog(due: 0, scheduled: 0, sending: 0))
        for n in 0..<4 { _ = try await inserted(store, Self.newLead(n)) }
        _ = try await inserted(store, Self.newLead(9, at: Self.now + 100))
        let waiting = try await store.backlog(now: Self.now)
        XCTAssertEqual(waiting, LeadBacklog(due: 4, scheduled: 1, sending: 0), "a lead received later is not due yet")
        let claimed = try await store.claimDue(now: Self.now, limit: 3, owner: "p1", leaseSeconds: 30)
        try await store.release([claimed[0].id], owner: "p1", dueAt: Self.now + 60, now: Self.now)
        let after = try await store.backlog(now: Self.now)
        XCTAssertEqual(after, LeadBacklog(due: 1, scheduled: 2, sending: 2))
    }

    func claimsTakeTheOldestDueLeadsOnceEach() async throws {
        let store = try await make()
        var ids: [String] = []
        for n in 0..<5 { ids.append(try await inserted(store, Self.newLead(n, at: Self.now + Double(n))).id) }
        let notYet = try await store.claimDue(now: Self.now - 1, limit: 10, owner: "p1", leaseSeconds: 30)
        XCTAssertEqual(notYet, [], "nothing is due before it was received")
        let first = try await store.claimDue(now: Self.now + 10, limit: 3, owner: "p1", leaseSeconds: 30)
        XCTAssertEqual(first.map(\.id), Array(ids[0..<3]))
        XCTAssertEqual(first.map(\.state), Array(repeating: .sending(attempt: 1), count: 3))
        let rest = try await store.claimDue(now: Self.now + 10, limit: 10, owner: "p2", leaseSeconds: 30)
        XCTAssertEqual(rest.map(\.id), Array(ids[3...]))
        let none = try await store.claimDue(now: Self.now + 10, limit: 10, owner: "p3", leaseSeconds: 30)
        XCTAssertEqual(none, [])
    }

    /// One claim of many leads, received in the reverse of the order they are stored in, some
    /// of them leased to a process that died: the expired leases first (oldest lease first),
    /// then the due leads by due time, every one once (the store's batch statement returns
    /// its rows in no set order).
    func aBatchClaimKeepsTheClaimOrder() async throws {
        let store = try await make()
        var ids: [String] = []
        for n in 0..<40 { ids.append(try await inserted(store, Self.newLead(n, at: Self.now - Double(n))).id) }
        let byDue = Array(ids.reversed())
        let dead = try await store.claimDue(now: Self.now, limit: 5, owner: "dead", leaseSeconds: 30)
        XCTAssertEqual(dead.map(\.id), Array(byDue[0..<5]))
        let claimed = try await store.claimDue(now: Self.now + 30, limit: 40, owner: "p2", leaseSeconds: 30)
        XCTAssertEqual(Set(claimed.prefix(5).map(\.id)), Set(byDue[0..<5]), "the expired leases (one lease end) first")
        XCTAssertEqual(claimed.dropFirst(5).map(\.id), Array(byDue[5...]), "then the due leads by due time")
        XCTAssertEqual(claimed.map(\.sentAgain), Array(repeating: true, count: 5) + Array(repeating: false, count: 35))
        XCTAssertEqual(claimed.map(\.state), Array(repeating: .sending(attempt: 1), count: 40))
    }

    func concurrentClaimsNeverShareALead() async throws {
        let store = try await make()
        for n in 0..<120 { _ = try await inserted(store, Self.newLead(n)) }
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for owner in 0..<4 {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await store.claimDue(now: Self.now, limit: 7, owner: "p\(owner)", leaseSeconds: 30)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            var all: [String] = []
            for try await mine in group { all += mine }
            return all
        }
        XCTAssertEqual(claims.count, 120)
        XCTAssertEqual(Set(claims).count, 120, "a lead was claimed twice")
    }

    func anAttemptAndTheLeadsNewStateAreWrittenTogether() async throws {
        let store = try await make()
        let lead = try await inserted(store, Self.newLead())
        _ = try await store.claimDue(now: Self.now, limit: 1, owner: "p1", leaseSeconds: 30)
        let retry = Outcome(.retry, reason: .unavailable, message: "busy", retryAfter: 120)
        try await store.complete(
            Self.attempt(lead, number: 1, retry), state: .retry(at: Self.now + 120, attempt: 2), owner: "p1", now: Self.now + 1)
        var read = try await store.lead(id: lead.id)
        XCTAssertEqual(read?.state, .retry(at: Self.now + 120, attempt: 2))
        XCTAssertEqual(read?.outcome, retry)
        let early = try await store.claimDue(now: Self.now + 119, limit: 1, owner: "p1", leaseSeconds: 30)
        XCTAssertEqual(early, [], "a retry is not due before its time")
        let second = try await store.claimDue(now: Self.now + 120, limit: 1, owner: "p2", leaseSeconds: 30)
        XCTAssertEqual(second.map(\.state), [.sending(attempt: 2)])
        let accepted = Outcome(.accepted, externalID: "X-9")
        try await store.complete(Self.attempt(lead, number: 2, accepted), state: .accepted, owner: "p2", now: Self.now + 121)
        read = try await store.lead(id: lead.id)
        XCTAssertEqual(read?.state, .accepted)
        XCTAssertEqual(read?.outcome, accepted)
        let attempts = try await store.attempts(leadID: lead.id)
        XCTAssertEqual(attempts.map(\.number), [1, 2])
        XCTAssertEqual(attempts.map(\.outcome), [retry, accepted])
        XCTAssertEqual(attempts.first, Self.attempt(lead, number: 1, retry))
        let done = try await store.claimDue(now: Self.now + 10_000, limit: 10, owner: "p3", leaseSeconds: 30)
        XCTAssertEqual(done, [], "a final lead is never claimed")
    }

    func onlyTheLeaseOwnerRecordsAnAttempt() async throws {
        let store = try await make()
        let lead = try await inserted(store, Self.newLead())
        _ = try await store.claimDue(now: Self.now, limit: 1, owner: "p1", leaseSeconds: 30)
        let accepted = Outcome(.accepted, externalID: "X-1")
        do {
            try await store.complete(Self.attempt(lead, number: 1, accepted), state: .accepted, owner: "p2", now: Self.now + 1)
            XCTFail("another owner recorded an attempt")
        } catch {
            XCTAssertEqual(error, .leaseLost(leadID: lead.id, owner: "p2"))
        }
        do {
            try await store.complete(Self.attempt(lead, number: 2, accepted), state: .accepted, owner: "p1", now: Self.now + 1)
            XCTFail("an attempt that is not the one under way was recorded")
        } catch {
            XCTAssertEqual(error, .leaseLost(leadID: lead.id, owner: "p1"))
        }
        do {
            try await store.complete(Self.attempt(lead, number: 1, accepted), state: .sending(attempt: 1), owner: "p1", now: Self.now + 1)
            XCTFail("an attempt ended in sending")
        } catch {
            guard case .invalidState = error else { return XCTFail("\(error)") }
        }
        let attempts = try await store.attempts(leadID: lead.id)
        XCTAssertEqual(attempts, [])
        let read = try await store.lead(id: lead.id)
        XCTAssertEqual(read?.state, .sending(attempt: 1))
    }

    /// Completions written together: each lead leased to the owner gets its attempt and
    /// state; a lead whose lease was lost is reported and nothing of it is written.
    func completionsAreWrittenTogetherLeavingOutLostLeases() async throws {
        let store = try await make()
        var leads: [StoredLead] = []
        for n in 0..<3 { leads.append(try await inserted(store, Self.newLead(n))) }
        _ = try await store.claimDue(now: Self.now, limit: 2, owner: "p1", leaseSeconds: 30)
        _ = try await store.claimDue(now: Self.now, limit: 1, owner: "p2", leaseSeconds: 30)
        let lost = try await store.complete(
            [
                Completion(Self.attempt(leads[0], number: 1, Outcome(.accepted, externalID: "X-0")), .accepted),
                Completion(Self.attempt(leads[2], number: 1, Outcome(.accepted, externalID: "X-2")), .accepted),
                Completion(Self.attempt(leads[1], number: 1, Outcome(.retry)), .retry(at: Self.now + 60, attempt: 2)),
            ], owner: "p1", now: Self.now + 1)
        XCTAssertEqual(lost, [leads[2].id], "the third lead is leased to p2")
        let first = try await store.lead(id: leads[0].id)
        XCTAssertEqual(first?.state, .accepted)
        let second = try await store.lead(id: leads[1].id)
        XCTAssertEqual(second?.state, .retry(at: Self.now + 60, attempt: 2))
        let third = try await store.lead(id: leads[2].id)
        XCTAssertEqual(third?.state, .sending(attempt: 1))
        let firstAttempts = try await store.attempts(leadID: leads[0].id)
        XCTAssertEqual(firstAttempts.map(\.outcome.kind), [.accepted])
        let thirdAttempts = try await store.attempts(leadID: leads[2].id)
        XCTAssertEqual(thirdAttempts, [])
        let none = try await store.complete([], owner: "p1", now: Self.now + 2)
        XCTAssertEqual(none, [])
    }

    /// A process died while sending: its lease runs out, another claims the lead with the
    /// same attempt, flagged; the dead owner's late result is refused.
    func anExpiredLeaseIsClaimedAgainAndFlagged() async throws {
        let store = try await make()
        let lead = try await inserted(store, Self.newLead())
        _ = try await store.claimDue(now: Self.now, limit: 1, owner: "dead", leaseSeconds: 30)
        let stillLeased = try await store.claimDue(now: Self.now + 29, limit: 1, owner: "p2", leaseSeconds: 30)
        XCTAssertEqual(stillLeased, [])
        let again = try await store.claimDue(now: Self.now + 30, limit: 1, owner: "p2", leaseSeconds: 30)
        XCTAssertEqual(again.map(\.state), [.sending(attempt: 1)])
        XCTAssertEqual(again.map(\.sentAgain), [true])
        let accepted = Outcome(.accepted, externalID: "X-1")
        do {
            try await store.complete(Self.attempt(lead, number: 1, accepted), state: .accepted, owner: "dead", now: Self.now + 31)
            XCTFail("the dead owner's result was recorded")
        } catch {
            XCTAssertEqual(error, .leaseLost(leadID: lead.id, owner: "dead"))
        }
        try await store.complete(Self.attempt(lead, number: 1, accepted), state: .accepted, owner: "p2", now: Self.now + 31)
        let attempts = try await store.attempts(leadID: lead.id)
        XCTAssertEqual(attempts.map(\.sentAgain), [true])
        let read = try await store.lead(id: lead.id)
        XCTAssertEqual(read?.sentAgain, true, "the lead keeps the flag in its history")
        XCTAssertEqual(read?.state, .accepted)
    }

    func releasedLeadsAreDueAgainWithTheirAttempt() async throws {
        let store = try await make()
        let lead = try await inserted(store, Self.newLead())
        _ = try await store.claimDue(now: Self.now, limit: 1, owner: "p1", leaseSeconds: 30)
        try await store.release([lead.id], owner: "p2", dueAt: Self.now + 1, now: Self.now + 1)
        var read = try await store.lead(id: lead.id)
        XCTAssertEqual(read?.state, .sending(attempt: 1), "another owner cannot release it")
        try await store.release([lead.id], owner: "p1", dueAt: Self.now + 30, now: Self.now + 1)
        read = try await store.lead(id: lead.id)
        XCTAssertEqual(read?.state, .retry(at: Self.now + 30, attempt: 1))
        let early = try await store.claimDue(now: Self.now + 29, limit: 1, owner: "p3", leaseSeconds: 30)
        XCTAssertEqual(early, [], "not due before dueAt")
        let claimed = try await store.claimDue(now: Self.now + 30, limit: 1, owner: "p3", leaseSeconds: 30)
        XCTAssertEqual(claimed.map(\.state), [.sending(attempt: 1)])
        XCTAssertEqual(claimed.map(\.sentAgain), [false], "a released lead was never started")
    }

    /// A lead taken over from a dead process and released unstarted (an open circuit, a
    /// graceful stop) keeps the flag: the attempt that finally runs is recorded `sentAgain`
    /// (failed before: the next claim cleared it).
    func aTakenOverLeadReleasedUnstartedKeepsTheFlagOnItsAttempt() async throws {
        let store = try await make()
        let lead = try await inserted(store, Self.newLead())
        _ = try await store.claimDue(now: Self.now, limit: 1, owner: "dead", leaseSeconds: 10)
        _ = try await store.claimDue(now: Self.now + 20, limit: 1, owner: "p2", leaseSeconds: 10)
        try await store.release([lead.id], owner: "p2", dueAt: Self.now + 20, now: Self.now + 20)
        let third = try await store.claimDue(now: Self.now + 21, limit: 1, owner: "p3", leaseSeconds: 10)
        XCTAssertEqual(third.map(\.id), [lead.id])
        try await store.complete(Self.attempt(lead, number: 1, Outcome(.accepted)), state: .accepted, owner: "p3", now: Self.now + 22)
        let attempts = try await store.attempts(leadID: lead.id)
        XCTAssertEqual(attempts.map(\.sentAgain), [true])
    }

    /// A renewed lease is not claimed by another until the new time; another owner cannot renew it.
    func aRenewedLeaseHoldsUntilItsNewEnd() async throws {
        let store = try await make()
        let lead = try await inserted(store, Self.newLead())
        _ = try await store.claimDue(now: Self.now, limit: 1, owner: "p1", leaseSeconds: 10)
        try await store.renewLeases([lead.id], owner: "p2", until: Self.now + 1000)
        try await store.renewLeases([lead.id], owner: "p1", until: Self.now + 100)
        let early = try await store.claimDue(now: Self.now + 99, limit: 1, owner: "p2", leaseSeconds: 10)
        XCTAssertEqual(early, [])
        let late = try await store.claimDue(now: Self.now + 100, limit: 1, owner: "p2", leaseSeconds: 10)
        XCTAssertEqual(late.map(\.id), [lead.id], "p2's renewal did not count")
    }
}
