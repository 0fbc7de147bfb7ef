import IntegrationRuntime
import LeadJSON

/// Where the changes of delivered leads wait to be sent (`StoredChange`): a durable queue
/// with the same promises as `LeadStore`'s leads. A change is on disk before the affiliate
/// is answered; it is leased to one dispatcher at a time, claimed again (flagged) when its
/// lease runs out, and its attempt is written with its new state in one transaction by the
/// lease's owner only.
public protocol ChangeStore: Sendable {
    /// The route that accepted the lead and the network's id for it, if it was accepted.
    func acceptance(leadID: String) async throws(StoreError) -> (routeID: Int64, externalID: String)?

    /// Queues an affiliate's update for the route that accepted the lead, and merges its
    /// fields into the stored lead, in one transaction.
    func queueUpdate(_ update: NewUpdate) async throws(StoreError) -> UpdateInsertion

    /// The change with this id.
    func change(id: String) async throws(StoreError) -> StoredChange?

    /// The lead's changes, oldest first.
    func changes(leadID: String) async throws(StoreError) -> [StoredChange]

    /// Leases up to `limit` due changes to `owner` (as `LeadStore.claimDue` does leads).
    func claimDueChanges(now: Double, limit: Int, owner: String, leaseSeconds: Double) async throws(StoreError) -> [StoredChange]

    /// Records `attempt` (its `leadID` is the change's id while it is written) and moves the
    /// change to `state`, if it is still leased to `owner` under that attempt.
    func completeChange(_ attempt: AttemptRecord, state: DeliveryState, owner: String, now: Double) async throws(StoreError)

    /// Gives back changes leased to `owner` that it did not start, due again at `dueAt`.
    func releaseChanges(_ changeIDs: [String], owner: String, dueAt: Double, now: Double) async throws(StoreError)

    /// Moves the lease of changes still leased to `owner` to `until`.
    func renewChangeLeases(_ changeIDs: [String], owner: String, until: Double) async throws(StoreError)

    /// The attempts of the lead's changes, oldest first.
    func changeAttempts(leadID: String) async throws(StoreError) -> [ChangeAttempt]

    /// The changes held in `error` that `which` names, oldest first: `integration` is that
    /// of the route the change goes to, `offerID` the lead's offer, `from`/`to` bound when
    /// the change was queued. Changes of anonymised or test leads are never named.
    func heldChanges(_ which: HeldLeads) async throws(StoreError) -> [HeldChange]

    /// Makes the held changes `which` names due again at `now`, each as its next attempt
    /// (its earlier attempts stay on record); the changes, oldest first.
    func redeliverChanges(_ which: HeldLeads, now: Double) async throws(StoreError) -> [HeldChange]
}
