import Foundation
import IntegrationRuntime
import LeadJSON
import Synchronization

/// Delivers the store's due leads: claims them in batches under a lease, runs each through
/// the delivery engine (one attempt per claim: the engine hands waits back, the store keeps
/// the schedule), and writes every attempt with its lead's new state. A process that dies
/// loses nothing: its leases run out and another dispatcher claims the leads again.
///
///     let dispatcher = Dispatcher(store: store, routing: routes, configuration: .init(owner: "node-1"))
///     let task = Task { await dispatcher.run() }
///     ...
///     await dispatcher.stop()   // stops claiming, lets attempts in flight finish and be written
public final class Dispatcher: Sendable {
    public struct Configuration: Sendable {
        /// This process's name on its leases; unique among processes sharing a store.
        public var owner: String
        /// Leads claimed at once.
        public var batch: Int
        /// Leads claimed and not yet written back, at most.
        public var maxInFlight: Int
        /// How long a claim holds a lead: longer than an attempt may take (the engine's
        /// attempt timeout), or a slow attempt's lead is claimed again while it runs.
        public var leaseSeconds: Double
        /// How long to wait before looking again when nothing was due (`poke` wakes it sooner).
        public var idleSeconds: Double
        /// Retries, circuits and bounds; `waits` is always `.handedBack`.
        public var engine: DeliveryEngine.Configuration

        public init(
            owner: String, batch: Int = 64, maxInFlight: Int = 512, leaseSeconds: Double? = nil,
            idleSeconds: Double = 0.25, engine: DeliveryEngine.Configuration = .init()
        ) {
            self.owner = owner
            self.batch = max(1, batch)
            self.maxInFlight = max(1, maxInFlight)
            self.leaseSeconds = leaseSeconds ?? ((engine.attemptTimeout ?? 600) + 60)
            self.idleSeconds = idleSeconds
            self.engine = engine
            self.engine.waits = .handedBack
        }
    }

    struct State {
        var ledger = DispatchLedger()
        var stopping = false
        /// When the leases of the ledger's leads were last renewed.
        var renewedAt = -Double.infinity
    }

    public let configuration: Configuration
    let store: any LeadStore
    let routing: any LeadRouting
    let clock: any DeliveryClock
    let observer: (any DispatchObserver)?
    let waiters = LeadWaiters()
    let state = Mutex(State())
    /// The claim loop's pause when nothing was due: until its idle time, a poke, or stop.
    private let pause = WakeableWait()
    let events = DeliveryEventQueue()
    private let engine: DeliveryEngine

    public init(
        store: any LeadStore, routing: any LeadRouting, configuration: Configuration,
        clock: any DeliveryClock = SystemDeliveryClock(), observer: (any DispatchObserver)? = nil
    ) {
        self.observer = observer
        self.store = store
        self.routing = routing
        self.configuration = configuration
        self.clock = clock
        let events = self.events
        var engineConfiguration = configuration.engine
        engineConfiguration.waits = .handedBack  // the store keeps every wait, whatever was set
        engine = DeliveryEngine(configuration: engineConfiguration, clock: clock) { events.append($0) }
    }

    /// Claims and delivers until `stop`, then returns once every claimed lead is written back.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writeBack() }
            await claimLoop()
            // Leads the engine had not started go back to the store at once, due now; then
            // the attempts in flight end and are written back.
            let waiting = engine.stopStarting().map(\.leadID)
            state.withLock { s in for id in waiting { s.ledger.forget(id) } }
            let now = clock.now()
            await persist(.releaseAll(waiting, dueAt: now), now: now)
            // The attempts in flight may run up to the attempt timeout from now: their
            // leases, last renewed up to a third of a lease ago, are renewed once more.
            state.withLock { $0.renewedAt = -Double.infinity }
            await renewLeasesIfDue()
            _ = await engine.shutdown()
            events.finish()
        }
    }

    /// Stops claiming; `run` returns once the attempts in flight are written back.
    public func stop() {
        state.withLock { $0.stopping = true }
        pause.stop()
    }

    /// Looks for due leads now (the intake stored one).
    public func poke() { pause.wake() }

    /// Leads claimed and not yet written back.
    public var inFlight: Int { state.withLock { $0.ledger.count } }

    /// The targets whose circuit is open or half-open now.
    public var openCircuits: [DeliveryTarget] { engine.openCircuits }

    // MARK: Claiming

    private func claimLoop() async {
        while !state.withLock({ $0.stopping }) {
            await renewLeasesIfDue()
            let room = configuration.maxInFlight - inFlight
            var claimed = 0
            if room > 0 {
                do { claimed = try await claimRound(limit: min(configuration.batch, room)) } catch {
                    // The store is unavailable: nothing was claimed; look again later.
                    claimed = 0
                }
            }
            if claimed == 0 || room <= 0 { await idle() }
        }
    }

    /// Claims up to `limit` due leads and hands each to the engine; the number claimed.
    func claimRound(limit: Int) async throws(StoreError) -> Int {
        let now = clock.now()
        let leads = try await store.claimDue(
            now: now, limit: limit, owner: configuration.owner,
            leaseSeconds: configuration.leaseSeconds)
        let routing = self.routing.forRound()
        for lead in leads {
            guard case .sending(let attempt) = lead.state else { continue }
            // Its job is still with the engine (its lease ran out while the store could not
            // be reached to renew it): the store has it leased to us again; nothing to start.
            if state.withLock({ $0.ledger.holds(lead.id) }) { continue }
            let decision: RouteDecision
            do {
                let run = state.withLock { $0.ledger.run }
                decision = try await routing.decide(
                    for: lead, now: now,
                    local: LocalRouteLoad(run: run) { [self] route, since in
                        state.withLock { $0.ledger.load(through: route, since: since) }
                    })
            } catch {
                // The routes could not be read (the store is unavailable, or the secrets key is
                // not the one that sealed them): not the lead's fault; it is due again shortly.
                await persist(.release(leadID: lead.id, dueAt: now + Self.routingRetrySeconds), now: now)
                continue
            }
            let route: LeadRoute
            switch decision {
            case .deliver(let chosen):
                route = chosen
            case .hold(let until):
                await persist(.release(leadID: lead.id, dueAt: until), now: now)
                continue
            case .reject(let outcome):
                await end(lead.id, attempt: attempt, outcome: outcome, state: .rejected, now: now)
                continue
            case .noRoute(let message):
                await end(lead.id, attempt: attempt, outcome: .error(message), state: .error, now: now)
                continue
            }
            let hidden = SensitiveFields.names.compactMap { name in lead.fields[name]?.stringValue.map { (name: "lead.\(name)", value: $0) }
            }
            state.withLock {
                $0.ledger.claimed(
                    lead.id, integration: route.integration, routeID: route.routeID, fallThrough: route.fallThrough,
                    capDay: route.capDay, hiding: hidden)
            }
            let input = CallInput(
                action: lead.action, subject: .lead(.object(lead.scriptFields)), params: route.params, offer: route.offer,
                now: Int64(now))
            engine.submit(
                DeliveryJob(
                    leadID: lead.id, runner: route.runner, input: input,
                    target: DeliveryTarget(integration: route.integration, offer: route.offer.id),
                    attempt: attempt))
        }
        return leads.count
    }

    /// Ends a lead that no route takes, with an attempt record saying why (no request went out).
    private func end(_ leadID: String, attempt: Int, outcome: Outcome, state: DeliveryState, now: Double) async {
        let record = AttemptRecord(
            leadID: leadID, number: attempt, integration: "", startedAt: now, endedAt: now, outcome: outcome, report: .object([:]))
        await persist(.complete(record, state), now: now)
        observer?.attemptWritten(record, state: state)
        if state.isFinal { waiters.finished(leadID) }
    }

    /// Waits at most `seconds` for `leadID` to reach a final state (synchronous
    /// registration); true when it did.
    public func waitForFinal(_ leadID: String, seconds: Double) async -> Bool {
        let store = self.store
        return await waiters.wait(for: leadID, seconds: seconds) {
            (try? await store.lead(id: leadID))?.state.isFinal ?? false
        }
    }

    /// Seconds before a lead whose routes could not be read is due again.
    static let routingRetrySeconds = 5.0

    /// Renews the leases of the leads claimed and not written back, a third of a lease
    /// after the last renewal: a lead waiting its turn in the engine keeps its lease.
    private func renewLeasesIfDue() async {
        let now = clock.now()
        let ids = state.withLock { s -> [String]? in
            guard now - s.renewedAt >= configuration.leaseSeconds / 3 else { return nil }
            s.renewedAt = now
            return s.ledger.leadIDs
        }
        guard let ids, !ids.isEmpty else { return }
        do { try await store.renewLeases(ids, owner: configuration.owner, until: now + configuration.leaseSeconds) } catch {
            state.withLock { $0.renewedAt = -Double.infinity }  // try again next round
        }
    }

    /// Waits `idleSeconds`, or less when poked or stopped.
    private func idle() async {
        await pause.wait(until: clock.now() + configuration.idleSeconds, on: clock)
    }
}
