import IntegrationRuntime

/// Where the service keeps its leads and their delivery: SQLite in one file by default
/// (`SQLiteStore`), PostgreSQL when several processes share the work. One contract test
/// suite (`LeadStoreContract` in ServiceTests) holds every implementation to the same
/// promises:
///
/// - an inserted lead is durable when `insert` returns (the intake answers only then);
/// - an `Idempotency-Key` maps to one lead per affiliate, also between inserts running at
///   the same time (a store may write those together: SQLite's group commit), and each
///   caller gets its own answer;
/// - the duplicate check asked for with `NewLead.duplicateSince` is made atomically with the
///   insert, so of concurrent leads with one address only the first is taken;
/// - a lead is leased to one dispatcher at a time: `claimDue` hands each due lead to one
///   caller, and a lease that runs out (its process died) is claimed again, the lead flagged
///   `sentAgain`;
/// - an attempt and the lead's new state are written together, and only by the lease's owner.
public protocol LeadStore: Sendable {
    /// Stores a new lead in state `pending`, due at once (or `rejected` with the lead's
    /// `rejection`, never sent); or answers what an earlier insert with the same affiliate
    /// and `Idempotency-Key` created.
    func insert(_ lead: NewLead) async throws(StoreError) -> LeadInsertion

    /// The lead with this id.
    func lead(id: String) async throws(StoreError) -> StoredLead?

    /// The newest lead of `offerID` received at or after `since` with this e-mail address
    /// or phone number (the duplicate check), if any.
    func duplicate(offerID: String, email: String?, phone: String?, since: Double) async throws(StoreError) -> String?

    /// Leases up to `limit` due leads to `owner` until `now + leaseSeconds`, oldest due first,
    /// and moves them to `sending`: leads `pending` or in `retry` whose time has come, and
    /// leads whose lease ran out while `sending` (flagged `sentAgain`; same attempt number).
    func claimDue(now: Double, limit: Int, owner: String, leaseSeconds: Double) async throws(StoreError) -> [StoredLead]

    /// Records `attempt` and moves its lead to `state` (final, or `retry` with the next
    /// attempt's time and number) in one transaction, if the lead is still leased to `owner`
    /// under that attempt; otherwise `StoreError.leaseLost` and nothing is written.
    func complete(_ attempt: AttemptRecord, state: DeliveryState, owner: String, now: Double) async throws(StoreError)

    /// Records each completion as `complete` does, together (SQLite: one transaction); the
    /// ids of the leads whose lease was lost, for which nothing was written. A store error
    /// thrown means nothing of the batch was written.
    func complete(_ completions: [Completion], owner: String, now: Double) async throws(StoreError) -> Set<String>

    /// Gives back leads leased to `owner` that it did not start (graceful shutdown, or a
    /// circuit that is open until `dueAt`): each is due again at `dueAt`, its attempt
    /// number kept.
    func release(_ leadIDs: [String], owner: String, dueAt: Double, now: Double) async throws(StoreError)

    /// Moves the lease of leads still leased to `owner` to `until` (the dispatcher's
    /// heartbeat: a lead waiting its turn in the delivery engine keeps its lease).
    func renewLeases(_ leadIDs: [String], owner: String, until: Double) async throws(StoreError)

    /// The attempts of a lead, first first.
    func attempts(leadID: String) async throws(StoreError) -> [AttemptRecord]

    /// How many leads wait to be delivered at `now` (`/metrics`' queue depth).
    func backlog(now: Double) async throws(StoreError) -> LeadBacklog

    /// The ids of the held leads `which` names, oldest first.
    func held(_ which: HeldLeads) async throws(StoreError) -> [String]

    /// Makes the held leads `which` names due again at `now`, each as its next attempt (its
    /// earlier attempts stay on record); their ids, oldest first.
    func redeliver(_ which: HeldLeads, now: Double) async throws(StoreError) -> [String]
}

extension LeadStore {
    /// One `complete` after another (a store without a batched write).
    public func complete(_ completions: [Completion], owner: String, now: Double) async throws(StoreError) -> Set<String> {
        var lost: Set<String> = []
        for completion in completions {
            do { try await complete(completion.attempt, state: completion.state, owner: owner, now: now) } catch {
                guard case .leaseLost(let leadID, _) = error else { throw error }
                lost.insert(leadID)
            }
        }
        return lost
    }
}

/// An attempt that ended and the state its lead moves to (`LeadStore.complete`).
public struct Completion: Sendable, Equatable {
    public var attempt: AttemptRecord
    public var state: DeliveryState

    public init(_ attempt: AttemptRecord, _ state: DeliveryState) {
        self.attempt = attempt
        self.state = state
    }
}

/// Leads not yet final, by where they stand.
public struct LeadBacklog: Sendable, Equatable {
    /// Pending or retrying leads whose time has come: waiting for a dispatcher.
    public var due: Int
    /// Leads retrying later (a backoff, a network's `retry_after`, an open circuit).
    public var scheduled: Int
    /// Leads leased to a dispatcher and being sent.
    public var sending: Int

    public init(due: Int, scheduled: Int, sending: Int) {
        self.due = due
        self.scheduled = scheduled
        self.sending = sending
    }
}
