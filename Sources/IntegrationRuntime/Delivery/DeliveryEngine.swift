import Synchronization

/// Delivers leads: runs each job's call, retries what ended `retry` with backoff, keeps a
/// bounded number of attempts in flight per target, holds a target's leads while its
/// circuit is open, and reports every state change. No lead is dropped: each one ends
/// `accepted`, `rejected` or `error`, or is scheduled for another attempt (docs/delivery.md).
///
///     let engine = DeliveryEngine { event in outbox.record(event) }
///     engine.submit(DeliveryJob(leadID: "L-1", pool: irev, input: input))
///     await engine.drain()
///
/// `onEvent` is called for every change, in order, one call at a time, on whichever thread
/// caused the change; it may call the engine (e.g. `submit`) but should return quickly. To
/// consume events as an `AsyncSequence`, yield them into an `AsyncStream` continuation.
/// The rate limit is not applied here but by the pool's transport (`RateLimitedTransport`,
/// see `IntegrationPool.rateLimited`), since a script may send several requests per call.
public final class DeliveryEngine: Sendable {
    /// Bounds, retry policy and circuit settings (defaults in docs/delivery.md).
    public struct Configuration: Sendable {
        /// Attempts running at once per target; the rest wait their turn, first come first served.
        public var maxInFlightPerTarget: Int
        public var retry: RetryPolicy
        public var circuit: CircuitBreaker.Configuration
        /// Seconds an attempt may take before the engine ends it as `error` (the script's own
        /// HTTP timeout and the VM's limits normally end it long before); nil: no limit.
        public var attemptTimeout: Double?
        /// Who keeps a lead that must wait (a retry's backoff, an open circuit).
        public var waits: Waits

        /// Where a waiting lead stays.
        public enum Waits: Sendable {
            /// In the engine, with a timer that submits it again when due (the default).
            case inEngine
            /// With the caller: the engine reports its `retry(at:attempt:)` and forgets it,
            /// for the caller to submit again when due (`DeliveryJob.attempt`). The service
            /// works so: its store holds the schedule across restarts and processes.
            case handedBack
        }

        public init(
            maxInFlightPerTarget: Int = 64, retry: RetryPolicy = .default,
            circuit: CircuitBreaker.Configuration = .init(), attemptTimeout: Double? = 600,
            waits: Waits = .inEngine
        ) {
            self.maxInFlightPerTarget = max(1, maxInFlightPerTarget)
            self.retry = retry
            self.circuit = circuit
            self.attemptTimeout = attemptTimeout.map { max(0, $0) }
            self.waits = waits
        }
    }

    struct State: Sendable {
        var core: DeliveryCore
        var emitting = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        /// Work to do outside the lock, in order, by one thread at a time (`performing`).
        var effects: [DeliveryCore.Effect] = []
        var performing = false

        /// Events reported and, for `drain`, every delivery final / for `shutdown`, none in flight.
        var isQuiet: Bool { core.outbox.isEmpty && !emitting }
    }

    public let configuration: Configuration
    private let clock: any DeliveryClock
    private let onEvent: @Sendable (DeliveryEvent) -> Void
    private let state: Mutex<State>

    /// - Parameters:
    ///   - clock: time and wake-ups (a manual clock in tests).
    ///   - random: numbers in `[0, 1)` for the retry jitter.
    public init(
        configuration: Configuration = Configuration(), clock: any DeliveryClock = SystemDeliveryClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onEvent: @escaping @Sendable (DeliveryEvent) -> Void
    ) {
        self.configuration = configuration
        self.clock = clock
        self.onEvent = onEvent
        state = Mutex(State(core: DeliveryCore(configuration: configuration, random: random)))
    }

    /// Takes a lead for delivery; its first attempt starts when its target has room.
    public func submit(_ job: DeliveryJob) {
        let now = clock.now()
        run { $0.submit(job, now: now) }
    }

    /// Returns once every submitted lead is in a final state and its events were reported.
    /// Leads scheduled for a retry keep it waiting until they end (tests, batch runs).
    public func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                guard s.isQuiet, s.core.live == 0 else { s.drainWaiters.append(continuation); return false }
                return true
            }
            if done { continuation.resume() }
        }
    }

    /// Stops starting attempts (also for leads submitted from now on) and hands back at once
    /// the deliveries that were waiting to start (`pending`, or `retry(at:)` with their next
    /// attempt), which the engine forgets; those in flight go on. The service calls it when
    /// it stops, to give those leads back to its store before it waits for the rest
    /// (`shutdown`).
    public func stopStarting() -> [DeliveryEvent] {
        state.withLock { s in
            s.core.stopping = true
            return s.core.handBackWaiting()
        }
    }

    /// Stops starting attempts (also for leads submitted from now on), waits for those in
    /// flight to end and their events to be reported, and returns the deliveries left
    /// unfinished with their current state (`pending`, or `retry(at:)` with the next
    /// attempt), for the outbox to resume after a restart. Nothing is dropped: the last
    /// event of each of these leads already says the same.
    public func shutdown() async -> [DeliveryEvent] {
        run { $0.stopping = true }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                guard s.isQuiet, s.core.inFlight == 0 else { s.stopWaiters.append(continuation); return false }
                return true
            }
            if done { continuation.resume() }
        }
        return state.withLock { $0.core.unfinished }
    }

    /// Leads not yet in a final state (in flight, waiting or scheduled).
    public var unfinished: Int { state.withLock { $0.core.live } }

    /// Attempts running now, over all targets.
    public var inFlight: Int { state.withLock { $0.core.inFlight } }

    /// The circuit of `target` (closed when the engine has not seen it).
    public func circuit(of target: DeliveryTarget) -> CircuitBreaker.State {
        state.withLock { $0.core.lines[target]?.circuit.state ?? .closed(consecutiveFailures: 0) }
    }

    /// The targets whose circuit is open or half-open now (`/metrics`' open circuits).
    public var openCircuits: [DeliveryTarget] {
        state.withLock { s in
            s.core.lines.compactMap { target, line in
                if case .closed = line.circuit.state { return nil }
                return target
            }
        }
    }

    // MARK: Running the core

    /// Applies `operation` under the lock, then reports its events and does its effects
    /// outside it.
    private func run(_ operation: (inout DeliveryCore) -> Void) {
        state.withLock { s in
            operation(&s.core)
            s.effects += s.core.effects
            s.core.effects = []
        }
        flush()
        perform()
    }

    /// Starts calls and arms wake-ups in the order the core asked for them. One thread at a
    /// time does it and the others leave their work to it, so a runner that completes
    /// inside `submit` (a stopped pool does) adds to this loop instead of recursing once
    /// per waiting lead.
    private func perform() {
        let mine = state.withLock { s -> Bool in
            guard !s.performing else { return false }
            s.performing = true
            return true
        }
        guard mine else { return }
        while true {
            let batch = state.withLock { s -> [DeliveryCore.Effect] in
                defer { s.effects = [] }
                if s.effects.isEmpty { s.performing = false }
                return s.effects
            }
            if batch.isEmpty { return }
            for effect in batch { perform(effect) }
        }
    }

    private func perform(_ effect: DeliveryCore.Effect) {
        switch effect {
        case .start(let id, let attempt, let runner, let input):
            runner.submit(input) { [self] result in
                let now = clock.now()
                run { $0.completed(id, attempt: attempt, result: result, now: now) }
            }
        case .wake(let at):
            clock.wake(at: at) { [weak self] in
                guard let self else { return }
                let now = clock.now()
                run { $0.timerFired(at: at, now: now) }
            }
        }
    }

    /// Reports queued events in order; one thread at a time does it, the others leave
    /// their events to it. Wakes `drain` callers once nothing is left.
    private func flush() {
        let mine = state.withLock { s -> Bool in
            guard !s.emitting else { return false }
            s.emitting = true
            return true
        }
        guard mine else { return }
        while true {
            let (batch, waiters) = state.withLock { s -> ([DeliveryEvent], [CheckedContinuation<Void, Never>]) in
                if !s.core.outbox.isEmpty {
                    defer { s.core.outbox = [] }
                    return (s.core.outbox, [])
                }
                s.emitting = false
                var waiters: [CheckedContinuation<Void, Never>] = []
                if s.core.live == 0 { swap(&waiters, &s.drainWaiters) }
                if s.core.inFlight == 0 { waiters += s.stopWaiters; s.stopWaiters = [] }
                return ([], waiters)
            }
            if batch.isEmpty {
                for waiter in waiters { waiter.resume() }
                return
            }
            for event in batch { onEvent(event) }
        }
    }
}
