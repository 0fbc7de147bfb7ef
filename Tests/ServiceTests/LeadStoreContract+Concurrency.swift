import IntegrationRuntime
import LeadJSON
import LeadRelayService
import XCTest

/// What concurrent inserts must not break (a store may write them together, as SQLite's
/// group commit does): each caller gets its own answer, an idempotency key still maps to
/// one lead, and every lead a caller was given is on disk.
extension LeadStoreContract {
    /// 100 inserts at once: 60 without a key, 40 spread over 10 keys (per key, three posts
    /// with the same body and one with another). Per key exactly one lead is inserted; the
    /// same body is answered with it (`replayed`), the other body is `keyReused` naming it.
    func concurrentInsertsKeepOneLeadPerIdempotencyKey() async throws {
        let store = try await make()
        var leads: [NewLead] = (0..<60).map { Self.newLead($0) }
        for key in 0..<10 {
            for post in 0..<4 {
                leads.append(Self.newLead(100 + key, key: "k-\(key)", digest: post == 3 ? "other-\(key)" : "same-\(key)"))
            }
        }
        leads.shuffle()
        let answers = try await withThrowingTaskGroup(of: (NewLead, LeadInsertion).self) { group in
            for lead in leads { group.addTask { (lead, try await store.insert(lead)) } }
            var answers: [(NewLead, LeadInsertion)] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
        XCTAssertEqual(answers.count, 100)

        var unkeyed: Set<String> = []
        var byKey: [String: [(digest: String, answer: LeadInsertion)]] = [:]
        for (lead, answer) in answers {
            if let key = lead.idempotency {
                byKey[key.key, default: []].append((key.bodyDigest, answer))
                continue
            }
            guard case .inserted(let stored) = answer else { return XCTFail("a lead without a key was answered \(answer)") }
            XCTAssertEqual(stored.fields["n"], lead.fields["n"], "a caller got another caller's lead")
            unkeyed.insert(stored.id)
        }
        XCTAssertEqual(unkeyed.count, 60, "every lead without a key is a lead of its own")

        var keyed: Set<String> = []
        for (key, posts) in byKey {
            XCTAssertEqual(posts.count, 4, key)
            let firsts = posts.compactMap { post -> (String, StoredLead)? in
                if case .inserted(let stored) = post.answer { return (post.digest, stored) }
                return nil
            }
            guard firsts.count == 1, let (firstDigest, first) = firsts.first else {
                return XCTFail("\(key): \(firsts.count) leads inserted, not one")
            }
            keyed.insert(first.id)
            for post in posts where post.answer != .inserted(first) {
                if post.digest == firstDigest {
                    XCTAssertEqual(post.answer, .replayed(first), key)
                } else {
                    XCTAssertEqual(post.answer, .keyReused(existingLeadID: first.id), key)
                }
            }
        }
        XCTAssertEqual(keyed.count, 10)

        // All on disk: the same data opened again has each lead, and no other.
        let again = try await reopen()
        for id in unkeyed.union(keyed) {
            let read = try await again.lead(id: id)
            XCTAssertNotNil(read, "lead \(id) was answered but is not on disk")
        }
        guard claims else { return }
        let claimed = try await again.claimDue(now: Self.now, limit: 1000, owner: "p1", leaseSeconds: 30)
        XCTAssertEqual(Set(claimed.map(\.id)), unkeyed.union(keyed))
    }

    /// Two posts with the same key and body at once, many times over: each pair gives one
    /// lead, answered to both.
    func concurrentRepliesOfOneKeyGetTheSameLead() async throws {
        let store = try await make()
        for round in 0..<20 {
            let lead = Self.newLead(round, key: "twice-\(round)", digest: "d")
            async let first = store.insert(lead)
            async let second = store.insert(lead)
            let answers = try await [first, second]
            let stored = answers.compactMap { answer -> StoredLead? in
                switch answer {
                case .inserted(let stored), .replayed(let stored): return stored
                case .keyReused: return nil
                }
            }
            XCTAssertEqual(stored.count, 2, "round \(round): \(answers)")
            XCTAssertEqual(stored.first?.id, stored.last?.id, "round \(round): two leads for one key")
            XCTAssertEqual(answers.filter { if case .inserted = $0 { return true } else { return false } }.count, 1)
        }
    }

    /// The duplicate check made in the insert (`duplicateSince`): of 12 leads with one
    /// e-mail address inserted at once, one is pending and 11 are stored rejected
    /// `duplicate`; a lead of another offer, or one outside the window, is not a duplicate.
    func concurrentInsertsOfOneAddressLetOneLeadThrough() async throws {
        let store = try await make()
        let answers = try await withThrowingTaskGroup(of: LeadInsertion.self) { group in
            for n in 0..<12 {
                var lead = Self.newLead(n, email: "same@example.com")
                lead.duplicateSince = Self.now - 3600
                group.addTask { try await store.insert(lead) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let states = answers.compactMap { answer -> StoredLead? in
            if case .inserted(let stored) = answer { return stored }
            return nil
        }
        XCTAssertEqual(states.count, 12)
        XCTAssertEqual(states.filter { $0.state == .pending }.count, 1)
        XCTAssertEqual(states.filter { $0.state == .rejected && $0.outcome == NewLead.duplicate }.count, 11)
        var elsewhere = Self.newLead(20, offer: "8", email: "same@example.com")
        elsewhere.duplicateSince = Self.now - 3600
        let other = try await inserted(store, elsewhere)
        XCTAssertEqual(other.state, .pending, "another offer's lead is no duplicate")
        var later = Self.newLead(21, email: "same@example.com", at: Self.now + 7200)
        later.duplicateSince = Self.now + 1
        let outside = try await inserted(store, later)
        XCTAssertEqual(outside.state, .pending, "a lead outside the window is no duplicate")
    }
}
