import Foundation
import GRDB
import IntegrationRuntime
import XCTest

@testable import LeadRelayService

/// SQLite's group commit (`GroupCommit`): inserts that arrive while a commit runs share the
/// next one, and inside a shared transaction each caller keeps its own answer.
final class GroupCommitTests: XCTestCase {
    var temporary: TemporaryDirectory!

    override func setUpWithError() throws { temporary = try TemporaryDirectory("group-commit") }
    override func tearDownWithError() throws { temporary.remove() }

    /// Keeps SQLite's writer busy (a write transaction waiting on a semaphore) until released,
    /// so that what is queued meanwhile forms one batch.
    final class WriterHold: @unchecked Sendable {
        let started = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        var task: Task<Void, any Error>?

        init(_ pool: DatabasePool) async {
            task = Task { [started, released] in
                try await pool.write { _ in
                    started.signal()
                    released.wait()
                }
            }
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { [started] in
                    started.wait()
                    continuation.resume()
                }
            }
        }

        func release() async throws {
            released.signal()
            try await task?.value
        }
    }

    /// Waits (without a deadline: not a timing assertion) until `condition` holds.
    func waitUntil(_ condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(1)) }
    }

    /// 20 posts queued during a commit are written in the next one (batch 2 of 2), and
    /// inside it the idempotency key still holds: per key one lead, the same body replayed,
    /// another body `keyReused`.
    func testPostsQueuedDuringACommitShareTheNextWithOneLeadPerKey() async throws {
        let store = try SQLiteStore(path: temporary.storePath)
        let hold = await WriterHold(store.pool)
        async let plug = store.insert(LeadStoreContract.newLead(0))
        try await waitUntil { store.inserts.counts.inFlight == 1 }

        var leads: [NewLead] = []
        for key in 0..<5 {
            for post in 0..<4 {
                leads.append(LeadStoreContract.newLead(key, key: "k-\(key)", digest: post == 1 ? "other" : "same"))
            }
        }
        let posts = Task {
            try await withThrowingTaskGroup(of: (NewLead, LeadInsertion).self) { group in
                for lead in leads { group.addTask { (lead, try await store.insert(lead)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await waitUntil { store.inserts.counts.queued == 20 }
        try await hold.release()
        let answers = try await posts.value
        guard case .inserted = try await plug else { return XCTFail("the first lead was not inserted") }
        XCTAssertEqual(store.inserts.counts.batches, 2, "the 20 posts were not written in one batch")

        for key in 0..<5 {
            let mine = answers.filter { $0.0.idempotency?.key == "k-\(key)" }
            let inserted = mine.compactMap { lead, answer -> (String, StoredLead)? in
                if case .inserted(let stored) = answer { return (lead.idempotency!.bodyDigest, stored) }
                return nil
            }
            guard inserted.count == 1, let (digest, first) = inserted.first else {
                return XCTFail("k-\(key): \(inserted.count) leads inserted")
            }
            for (lead, answer) in mine where answer != .inserted(first) {
                let expected: LeadInsertion =
                    lead.idempotency?.bodyDigest == digest ? .replayed(first) : .keyReused(existingLeadID: first.id)
                XCTAssertEqual(answer, expected, "k-\(key)")
            }
        }
        let stored = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM leads") }
        XCTAssertEqual(stored, 6, "the first lead and one per key")
    }

    /// In a shared transaction a piece that fails is rolled back alone (what it wrote
    /// too), its caller gets the error, and the batch's other pieces are committed.
    func testAFailingPieceIsRolledBackAloneAndTheOthersCommit() async throws {
        let store = try SQLiteStore(path: temporary.storePath)
        try await store.pool.write { db in try db.execute(sql: "CREATE TABLE numbers (n INTEGER NOT NULL UNIQUE)") }
        let commits = GroupCommit<Int>(pool: store.pool)
        @Sendable func insert(_ n: Int, thenFail: Bool = false) -> GroupCommit<Int>.Work {
            { db in
                try db.execute(sql: "INSERT INTO numbers (n) VALUES (?)", arguments: [n])
                if thenFail { throw StoreError.invalidState(leadID: "\(n)", detail: "refused after writing") }
                return n
            }
        }
        let hold = await WriterHold(store.pool)
        async let plug = commits.run(insert(0))
        try await waitUntil { commits.counts.inFlight == 1 }
        let one = Task { try await commits.run(insert(1)) }
        try await waitUntil { commits.counts.queued == 1 }
        let again = Task { try await commits.run(insert(1)) }
        try await waitUntil { commits.counts.queued == 2 }
        let failing = Task { try await commits.run(insert(5, thenFail: true)) }
        try await waitUntil { commits.counts.queued == 3 }
        let two = Task { try await commits.run(insert(2)) }
        try await waitUntil { commits.counts.queued == 4 }
        try await hold.release()

        let first = try await plug
        XCTAssertEqual(first, 0)
        let answers = (try await one.value, try await two.value)
        XCTAssertEqual(answers.0, 1)
        XCTAssertEqual(answers.1, 2)
        do {
            _ = try await again.value
            XCTFail("a second 1 was inserted")
        } catch {
            guard case .unavailable(let detail) = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("UNIQUE"), detail)
        }
        do {
            _ = try await failing.value
            XCTFail("the failing piece succeeded")
        } catch {
            XCTAssertEqual(error as? StoreError, .invalidState(leadID: "5", detail: "refused after writing"))
        }
        XCTAssertEqual(commits.counts.batches, 2)
        let numbers = try await store.pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM numbers ORDER BY n") }
        XCTAssertEqual(numbers, [0, 1, 2], "5 was written by a piece that failed")
    }
}
