import Foundation
import Host
import OutboundHTTP
import Synchronization

/// Runs the calls of one integration on a few VMs, each owned by a thread of its own.
///
/// Calls are spread over the workers round-robin, except that a call submitted from a
/// completion on a worker's thread stays on that worker. Each worker interleaves as many
/// calls as are in flight, since a call waiting for HTTP holds no thread. The pool also keeps the
/// runtime's promises about bad scripts: a VM stuck inside C past its deadline is
/// abandoned and replaced (`PoolWatchdog`), and `reload` swaps in a new version of the
/// script only if it loads, leaving the old one serving otherwise.
///
///     let pool = try IntegrationPool(catalog: catalog, name: "irev", transport: LiveTransport())
///     let result = await pool.run(CallInput(action: .push, subject: .lead(lead), params: params, now: now))
public final class IntegrationPool: Sendable {
    /// Everything needed to build one more instance of the current version.
    struct Blueprint: @unchecked Sendable {
        var source: LuaSource
        var file: String
        var libraries: [String: LuaSource]
        var limits: LuaLimits
        var cache: any CacheStore
        var modules: [HostModule]
        /// The script and libraries compiled once, used while they match the sources.
        var compiled: CompiledCatalog? = nil

        func instance() throws(ScriptLoadError) -> IntegrationInstance {
            try IntegrationInstance(
                source: source, file: file, libraries: libraries, limits: limits, cache: cache, modules: modules,
                compiled: compiled)
        }
    }

    struct State {
        var blueprint: Blueprint
        var manifest: IntegrationManifest
        /// The line where each hook of that version is defined.
        var hookLines: [CallHook: Int]
        var workers: [PoolWorker]
        var next = 0
        var stopped = false
        /// Calls submitted while no worker was available (a stuck VM's replacement is being
        /// loaded); they start as soon as one is.
        var waiting: [CallTicket] = []
        /// The store of calls whose input names none (`IntegrationPool.credentials`).
        var credentials: (any CredentialStore)?
    }

    public let name: String
    let transport: any HTTPTransport
    let events: (@Sendable (PoolEvent) -> Void)?
    let state: Mutex<State>

    /// Loads `source` into `workers` VMs (default: one per core), from `compiled` bytecode
    /// where it was compiled from the same sources.
    public convenience init(
        source: LuaSource, file: String, libraries: [String: LuaSource] = [:],
        limits: LuaLimits = .default, cache: any CacheStore = MemoryCacheStore(),
        modules: [HostModule] = StandardModules.all,
        transport: any HTTPTransport, workers: Int = IntegrationPool.defaultWorkers,
        events: (@Sendable (PoolEvent) -> Void)? = nil, compiled: CompiledCatalog? = nil
    ) throws(ScriptLoadError) {
        let blueprint = Blueprint(
            source: source, file: file, libraries: libraries, limits: limits, cache: cache, modules: modules, compiled: compiled)
        var instances: [IntegrationInstance] = []
        for _ in 0..<max(1, workers) { instances.append(try blueprint.instance()) }
        self.init(blueprint: blueprint, instances: instances, transport: transport, events: events)
    }

    /// A pool running `instances` (one worker each), built from `blueprint`, which also
    /// builds any replacement.
    init(
        blueprint: Blueprint, instances: [IntegrationInstance], transport: any HTTPTransport,
        events: (@Sendable (PoolEvent) -> Void)?
    ) {
        let name = instances[0].manifest.name
        self.name = name
        self.transport = transport
        self.events = events
        let pool = instances.enumerated().map { PoolWorker(index: $0.offset, instance: $0.element, transport: transport) }
        state = Mutex(State(blueprint: blueprint, manifest: instances[0].manifest, hookLines: instances[0].hookLines, workers: pool))
        for worker in pool { activate(worker) }
        PoolWatchdog.shared.watch(self)
    }

    /// A pool for `name` from a scanned integrations directory.
    public convenience init(
        catalog: IntegrationCatalog, name: String, limits: LuaLimits = .default,
        cache: any CacheStore = MemoryCacheStore(), modules: [HostModule] = StandardModules.all,
        transport: any HTTPTransport, workers: Int = IntegrationPool.defaultWorkers,
        events: (@Sendable (PoolEvent) -> Void)? = nil, compiled: CompiledCatalog? = nil
    ) throws(ScriptLoadError) {
        guard let source = catalog.scripts[name] else {
            throw ScriptLoadError(file: catalog.path(of: name), message: "no such integration \"\(name)\" in \(catalog.directory)")
        }
        try self.init(
            source: source, file: catalog.path(of: name), libraries: catalog.libraries, limits: limits,
            cache: cache, modules: modules, transport: transport, workers: workers, events: events, compiled: compiled)
    }

    deinit { stop(CallFailure(script: name, hook: nil, what: "the pool was released before the call finished")) }

    /// One worker per core.
    public static var defaultWorkers: Int { max(1, System.coreCount) }

    /// The manifest of the version serving new calls.
    public var manifest: IntegrationManifest { state.withLock { $0.manifest } }

    /// The line where each hook of the version serving new calls is defined.
    public var hookLines: [CallHook: Int] { state.withLock { $0.hookLines } }
    /// The source of the version serving new calls.
    public var source: LuaSource { state.withLock { $0.blueprint.source } }

    public var workerCount: Int { state.withLock { $0.workers.count } }

    /// Calls started and not completed, over all workers.
    public var liveCalls: Int { state.withLock { $0.workers }.reduce(0) { $0 + $1.liveCount } }

    // MARK: Calls

    /// Runs a call; `completion` gets its result exactly once, on a worker's thread.
    public func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
        var input = input
        if input.credentials == nil { input.credentials = state.withLock { $0.credentials } }
        dispatch(CallTicket(input: input, completion: completion))
    }

    /// Runs a call to its end.
    public func run(_ input: CallInput) async -> CallResult {
        await withCheckedContinuation { continuation in
            submit(input) { continuation.resume(returning: $0) }
        }
    }

    /// Picks the worker for a new call: the calling worker itself when a call's completion
    /// submits the next one (the delivery engine, a backlog), so the lead stays on a warm
    /// thread and nobody has to be woken; otherwise the next worker in turn.
    func dispatch(_ ticket: CallTicket) {
        var local = PoolWorker.current
        while true {
            enum Pick {
                case worker(PoolWorker)
                case parked, stopped
            }
            let pick = state.withLock { s -> Pick in
                if s.stopped { return .stopped }
                guard !s.workers.isEmpty else {
                    s.waiting.append(ticket)
                    return .parked
                }
                if let here = local, s.workers.contains(where: { $0 === here }) { return .worker(here) }
                s.next = (s.next + 1) % s.workers.count
                return .worker(s.workers[s.next])
            }
            switch pick {
            case .parked: return
            case .stopped:
                return ticket.completion(CallFailure(script: name, hook: nil, what: "no VM is available (the pool is stopped)").result())
            case .worker(let worker):
                // A worker closes its queue only after it left `workers`: a refusal here is
                // a race with that, and the next pick is another worker (or parks the call).
                if worker.enqueue(.start(ticket)) { return }
                local = nil
            }
        }
    }

    func activate(_ worker: PoolWorker) {
        worker.onRejectedStart = { [weak self, name] ticket in
            guard let self else {
                return ticket.completion(CallFailure(script: name, hook: nil, what: "the pool was released").result())
            }
            dispatch(ticket)
        }
        worker.start(name: name)
    }

    /// Starts the calls that waited for a worker.
    func releaseWaiting() {
        let parked = state.withLock { s -> [CallTicket] in
            defer { s.waiting = [] }
            return s.workers.isEmpty ? [] : s.waiting
        }
        for ticket in parked { dispatch(ticket) }
    }

    // MARK: Stopping

    /// Stops every worker; calls still running end as `error`.
    public func shutdown() { stop(CallFailure(script: name, hook: nil, what: "the pool was shut down before the call finished")) }

    private func stop(_ failure: CallFailure) {
        let (workers, parked) = state.withLock { s -> ([PoolWorker], [CallTicket]) in
            s.stopped = true
            defer { s.workers = []; s.waiting = [] }
            return (s.workers, s.waiting)
        }
        for worker in workers { worker.stop(failure) }
        for ticket in parked { ticket.completion(failure.result()) }
    }
}

/// Facts about the machine.
public enum System {
    /// Cores this process may run on.
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
