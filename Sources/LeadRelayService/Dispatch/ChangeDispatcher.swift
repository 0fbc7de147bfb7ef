import Foundation
import IntegrationRuntime
import LeadJSON
import Synchronization

/// Delivers the store's due changes of delivered leads (`StoredChange`: an affiliate's
/// update, an approval sent onward) as `Dispatcher` delivers leads: claimed in batches under
/// a lease, one attempt per claim through a `DeliveryEngine` (retries with backoff and
/// `retry_after`, circuits, the script's rate limit through its pool's transport), each
/// attempt written with the change's new state. A change goes to its one route, never
/// falls through to another; a process that dies loses nothing (the lease runs out and the
/// change is claimed again, flagged).
///
///     let changes = ChangeDispatcher(store: store, offers: store, runner: { directory.pool($0) }, configuration: .init(owner: "node-1"))
///     let task = Task { await changes.run() }
///     ...
///     changes.stop(); await task.value
public final class ChangeDispatcher: Sendable {
    public struct Configuration: Sendable {
        /// This process's name on its leases; unique among processes sharing a store.
        public var owner: String
        /// Changes claimed at once.
        public var batch: Int
        /// How long a claim holds a change (longer than an attempt may take).
        public var leaseSeconds: Double
        /// How long to wait before looking again when nothing was due (`poke` wakes it sooner).
        public var idleSeconds: Double
        /// Retries, circuits and bounds, as the lead dispatcher's.
        public var engine: DeliveryEngine.Configuration

        public init(
            owner: String, batch: Int = 32, leaseSeconds: Double? = nil, idleSeconds: Double = 0.25,
            engine: DeliveryEngine.Configuration = .init()
        ) {
            self.owner = owner
            self.batch = max(1, batch)
            self.leaseSeconds = leaseSeconds ?? ((engine.attemptTimeout ?? 600) + 60)
            self.idleSeconds = idleSeconds
            self.engine = engine
            self.engine.waits = .handedBack
        }
    }

    struct State {
        var ledger = DispatchLedger()
        var stopping = false
        var poked = false
        var renewedAt = -Double.infinity
    }

    public let configuration: Configuration
    let store: any ChangeStore & LeadStore
    let offers: any OfferStore
    let runner: @Sendable (String) -> (any CallRunner)?
    let clock: any DeliveryClock
    let state = Mutex(State())
    let events: AsyncStream<DeliveryEvent>
    private let eventSink: AsyncStream<DeliveryEvent>.Continuation
    let engine: DeliveryEngine

    /// - Parameter runner: the runner of an integration by name (`IntegrationDirectory.pool`).
    public init(
        store: any ChangeStore & LeadStore, offers: any OfferStore, runner: @escaping @Sendable (String) -> (any CallRunner)?,
        configuration: Configuration, clock: any DeliveryClock = SystemDeliveryClock()
    ) {
        self.store = store
        self.offers = offers
        self.runner = runner
        self.configuration = configuration
        self.clock = clock
        (events, eventSink) = AsyncStream<DeliveryEvent>.makeStream()
        let sink = eventSink
        var engineConfiguration = configuration.engine
        engineConfiguration.waits = .handedBack
        engine = DeliveryEngine(configuration: engineConfiguration, clock: clock) { sink.yield($0) }
    }

    /// Claims and delivers until `stop`, then returns once every claimed change is written back.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writeBack() }
            while !state.withLock({ $0.stopping }) {
                await renewLeasesIfDue()
                let claimed = (try? await claimRound()) ?? 0
                if claimed == 0 { await idle() }
            }
            let waiting = engine.stopStarting().map(\.leadID)
            state.withLock { s in for id in waiting { s.ledger.forget(id) } }
            let now = clock.now()
            await persist(.releaseAll(waiting, dueAt: now), now: now)
            state.withLock { $0.renewedAt = -Double.infinity }
            await renewLeasesIfDue()
            _ = await engine.shutdown()
            eventSink.finish()
        }
    }

    /// Stops claiming; `run` returns once the attempts in flight are written back.
    public func stop() { state.withLock { $0.stopping = true } }

    /// Looks for due changes now (the intake queued one).
    public func poke() { state.withLock { $0.poked = true } }

    /// Changes claimed and not yet written back.
    public var inFlight: Int { state.withLock { $0.ledger.count } }

    /// Claims up to a batch of due changes and hands each to the engine; the number claimed.
    func claimRound() async throws(StoreError) -> Int {
        let now = clock.now()
        let changes = try await store.claimDueChanges(
            now: now, limit: configuration.batch, owner: configuration.owner, leaseSeconds: configuration.leaseSeconds)
        for change in changes {
            guard case .sending(let attempt) = change.state, !state.withLock({ $0.ledger.holds(change.id) }) else { continue }
            let job: ChangeJob
            do { job = try await ChangeJob.make(change, store: store, offers: offers, runner: runner) } catch {
                await persist(.release(leadID: change.id, dueAt: now + Dispatcher.routingRetrySeconds), now: now)
                continue
            }
            switch job {
            case .unsendable(let message):
                let record = AttemptRecord(
                    leadID: change.id, number: attempt, integration: "", startedAt: now, endedAt: now, outcome: .error(message),
                    report: .object([:]), routeID: change.routeID)
                await persist(.complete(record, .error), now: now)
            case .send(let route, let runner, let lead, let hidden):
                state.withLock { $0.ledger.claimed(change.id, integration: route.integration, routeID: route.id, hiding: hidden) }
                let input = CallInput(
                    action: change.action, subject: .lead(lead), params: route.params, offer: route.offer, now: Int64(now))
                engine.submit(
                    DeliveryJob(
                        leadID: change.id, runner: runner, input: input,
                        target: DeliveryTarget(integration: route.integration, offer: route.offer.id), attempt: attempt))
            }
        }
        return changes.count
    }

    private func renewLeasesIfDue() async {
        let now = clock.now()
        let ids = state.withLock { s -> [String]? in
            guard now - s.renewedAt >= configuration.leaseSeconds / 3 else { return nil }
            s.renewedAt = now
            return s.ledger.leadIDs
        }
        guard let ids, !ids.isEmpty else { return }
        do { try await store.renewChangeLeases(ids, owner: configuration.owner, until: now + configuration.leaseSeconds) } catch {
            state.withLock { $0.renewedAt = -Double.infinity }
        }
    }

    /// Waits up to `idleSeconds` in short steps, returning early when poked or stopped.
    private func idle() async {
        let step = min(configuration.idleSeconds, 0.05)
        var waited = 0.0
        while waited < configuration.idleSeconds {
            let wake = state.withLock { s -> Bool in
                defer { s.poked = false }
                return s.stopping || s.poked
            }
            if wake { return }
            try? await Task.sleep(nanoseconds: UInt64(step * 1e9))
            waited += step
        }
    }
}
