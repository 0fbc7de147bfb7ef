import Foundation
import IntegrationRuntime
import Logging
import Synchronization

/// Runs each route's status checks on the route's interval (`OfferRoute.status`) through
/// its integration's pool, whose rate limits apply to these requests as to deliveries, and
/// stores the updates (`StatusStore.record`). One run per route at a time: a route whose
/// run is still going when it is due again waits for the next tick. Routes whose script has
/// no `status` action, or whose integration is not loaded, are skipped.
///
///     let scheduler = StatusScheduler(store: store, pools: { directory.pool($0) }, logger: logger)
///     let task = Task { await scheduler.run() }   // ticks every second on its clock
///     ...
///     scheduler.stop(); await task.value
///
/// Tests call `runDue()` after moving a manual clock: it runs what is due and returns.
public final class StatusScheduler: Sendable {
    public struct Configuration: Sendable {
        /// How often to look for routes that are due.
        public var tickSeconds: Double
        /// Leads per status call when the script declares no `limits.batch`.
        public var defaultBatch: Int

        public init(tickSeconds: Double = 1, defaultBatch: Int = 100) {
            self.tickSeconds = tickSeconds
            self.defaultBatch = max(1, defaultBatch)
        }
    }

    struct State {
        var running: Set<Int64> = []
        /// When each route is due next (absent: now).
        var nextRun: [Int64: Double] = [:]
        var stopping = false
    }

    public let configuration: Configuration
    let store: any StatusStore & OfferStore
    let pools: @Sendable (String) -> IntegrationPool?
    let clock: any DeliveryClock
    let logger: Logger
    let metrics: ServiceMetrics?
    let state = Mutex(State())
    /// The loop's pause between ticks: until the next tick, or stop.
    private let pause = WakeableWait()

    /// - Parameter pools: the pool of an integration by name (`IntegrationDirectory.pool`).
    public init(
        store: any StatusStore & OfferStore, pools: @escaping @Sendable (String) -> IntegrationPool?,
        configuration: Configuration = Configuration(), clock: any DeliveryClock = SystemDeliveryClock(),
        logger: Logger = Logger(label: "leadrelay.status"), metrics: ServiceMetrics? = nil
    ) {
        self.metrics = metrics
        self.store = store
        self.pools = pools
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Runs due routes every tick until `stop`, then returns once the runs under way ended.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            while !state.withLock({ $0.stopping }) {
                for (route, pool) in await dueRoutes() {
                    group.addTask { _ = await self.runClaimed(route, pool) }
                }
                await idle()
            }
        }
    }

    /// Stops starting runs; a run under way stops after its current call.
    public func stop() {
        state.withLock { $0.stopping = true }
        pause.stop()
    }

    /// Runs every route due now and returns what each run did.
    @discardableResult
    public func runDue() async -> [StatusRun] {
        let due = await dueRoutes()
        return await withTaskGroup(of: StatusRun.self) { group in
            for (route, pool) in due { group.addTask { await self.runClaimed(route, pool) } }
            var runs: [StatusRun] = []
            for await run in group { runs.append(run) }
            return runs.sorted { $0.routeID < $1.routeID }
        }
    }

    /// The routes due at the clock's now, each marked running and scheduled for its next run.
    func dueRoutes() async -> [(OfferRoute, IntegrationPool)] {
        let now = clock.now()
        var routes: [OfferRoute] = []
        do {
            for offer in try await store.offers() { routes += try await store.routes(offerID: offer.id) }
        } catch {
            logger.error("status: cannot read the routes", metadata: ["error": "\(error)"])
            return []
        }
        var due: [(OfferRoute, IntegrationPool)] = []
        for route in routes where !route.status.checks.isEmpty {
            guard let pool = pools(route.integration), pool.manifest.supports(.status) else { continue }
            let claimed = state.withLock { s -> Bool in
                guard !s.stopping, !s.running.contains(route.id), (s.nextRun[route.id] ?? now) <= now else { return false }
                s.running.insert(route.id)
                s.nextRun[route.id] = now + max(StatusSchedule.minimumIntervalSeconds, route.status.intervalSeconds)
                return true
            }
            if claimed { due.append((route, pool)) }
        }
        return due
    }

    private func runClaimed(_ route: OfferRoute, _ pool: IntegrationPool) async -> StatusRun {
        defer { _ = state.withLock { $0.running.remove(route.id) } }
        let run = await StatusCheckRun(
            route: route, pool: pool, store: store, batch: pool.manifest.limits.batch ?? configuration.defaultBatch,
            stopping: { [self] in state.withLock { $0.stopping } }
        ).run(now: clock.now())
        StatusLog.log(run, to: logger)
        metrics?.statusRun(run)
        return run
    }

    private func idle() async {
        await pause.wait(until: clock.now() + configuration.tickSeconds, on: clock)
    }
}
