import GRDB
import Synchronization

/// Group commit: concurrent writes of one kind (the intake's inserts) share one transaction,
/// so one commit, and one `fsync` under `synchronous = FULL`, makes a whole batch durable.
///
/// A caller queues its work and waits. One writer task at a time takes everything queued
/// (at most `maxBatch` pieces) and runs it in one write transaction, each piece inside its
/// own savepoint: a piece that fails is rolled back alone and its caller gets its error,
/// the others are kept. Pieces run in the order they were queued, each seeing what the
/// earlier ones wrote (a second insert with the same idempotency key finds the first).
/// Every caller is answered only after the commit returned, so what it was told is on
/// disk; if the commit itself fails, every caller of the batch gets that error and nothing
/// of the batch is written.
///
/// There is no timer: a batch is what arrived while the previous commit was running. One
/// caller alone waits for its own commit only; under load, a commit takes every caller that
/// came during the one before.
final class GroupCommit<Answer: Sendable>: Sendable {
    typealias Work = @Sendable (Database) throws -> Answer

    private struct Waiting {
        let work: Work
        let continuation: CheckedContinuation<Result<Answer, StoreError>, Never>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        /// A writer task is running (it takes what is queued before it stops).
        var writing = false
        /// Pieces taken by the writer and not answered yet.
        var inFlight = 0
        /// Batches committed or failed so far.
        var batches = 0
    }

    private let pool: DatabasePool
    private let maxBatch: Int
    private let queue = Mutex(Queue())

    init(pool: DatabasePool, maxBatch: Int = 512) {
        self.pool = pool
        self.maxBatch = maxBatch
    }

    /// Pieces waiting for the next batch, pieces being written, and batches written (tests).
    var counts: (queued: Int, inFlight: Int, batches: Int) { queue.withLock { ($0.waiting.count, $0.inFlight, $0.batches) } }

    /// Runs `work` in the next batch's transaction and answers once that batch is committed.
    func run(_ work: @escaping Work) async throws(StoreError) -> Answer {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Answer, StoreError>, Never>) in
            let startWriter = queue.withLock { queue in
                queue.waiting.append(Waiting(work: work, continuation: continuation))
                if queue.writing { return false }
                queue.writing = true
                return true
            }
            if startWriter { Task { await self.drain() } }
        }
        return try result.get()
    }

    /// Writes batches until nothing is queued; the check and the stop are one step under the
    /// lock, so a caller that queues after it finds a writer or starts one.
    private func drain() async {
        while true {
            let batch = queue.withLock { queue -> [Waiting] in
                let taken = Array(queue.waiting.prefix(maxBatch))
                queue.waiting.removeFirst(taken.count)
                queue.inFlight = taken.count
                if taken.isEmpty { queue.writing = false }
                return taken
            }
            if batch.isEmpty { return }
            let answers = await write(batch)
            queue.withLock {
                $0.batches += 1
                $0.inFlight = 0
            }
            for (waiting, answer) in zip(batch, answers) { waiting.continuation.resume(returning: answer) }
        }
    }

    /// One transaction for the batch: each piece's answer, or the commit's error for all.
    private func write(_ batch: [Waiting]) async -> [Result<Answer, StoreError>] {
        do {
            return try await pool.write { db in
                let answers = batch.map { waiting in
                    var answer: Result<Answer, StoreError> = .failure(.unavailable("the write did not run"))
                    do {
                        answer = .success(try Self.inPiece(db) { try waiting.work(db) })
                    } catch {
                        answer = .failure(Self.storeError(error))
                    }
                    return answer
                }
                // Some errors (a full disk, an I/O error) make SQLite roll the whole
                // transaction back: then no piece is on disk, whatever it answered.
                guard db.isInsideTransaction else {
                    throw StoreError.unavailable("SQLite rolled the batch's transaction back; nothing of it was written")
                }
                return answers
            }
        } catch {
            let failure = Self.storeError(error)
            return batch.map { _ in .failure(failure) }
        }
    }

    /// Runs `work` inside a savepoint of the batch's transaction, rolled back alone when it
    /// throws. The savepoint's statements are prepared once per connection (GRDB's
    /// `inSavepoint` prepares them again for every piece: a tenth of the writer's time).
    private static func inPiece<T>(_ db: Database, _ work: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT group_commit_piece").execute()
        do {
            let answer = try work()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT group_commit_piece").execute()
            return answer
        } catch {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT group_commit_piece").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT group_commit_piece").execute()
            throw error
        }
    }

    private static func storeError(_ error: any Error) -> StoreError {
        (error as? StoreError) ?? .unavailable("\(error)")
    }
}
