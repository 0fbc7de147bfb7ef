import Host
import OutboundHTTP
import Synchronization

/// How `leadrelay check` gives each case a freshly loaded script (docs/performance.md
/// compares them).
public enum CheckMode: String, Sendable, CaseIterable {
    /// A new pool (a worker thread and a VM) per case, the script parsed from source.
    case fresh
    /// A new pool per case, the script loaded from bytecode compiled once per check.
    case compiled
    /// One pool (one worker thread) per integration; each case after the first swaps in a
    /// new VM loaded from bytecode compiled once per check (the default before `reused`,
    /// kept to measure against it).
    case swapped
    /// One pool (one worker thread) and, as long as its cases end cleanly, one VM per
    /// integration: before each case the script is loaded again from the bytecode compiled
    /// once per check into a new global table of that VM (`IntegrationInstance(reloading:)`).
    /// After a case that failed or hit a limit, a new VM. The default.
    case reused
}

/// The cases of one integration run on one pool of one worker: before each case its script
/// is loaded anew (module-level state, globals, library tables, `require` cache and cache
/// all new) into the VM the last case ran on, or into a new VM when the last case ended in
/// `error` (a crash or a limit), and the case's replay answers its requests. Cases run one
/// after the other.
final class FixtureSession {
    let pool: IntegrationPool
    let transport: SwitchingTransport
    let catalog: IntegrationCatalog
    let name: String
    let limits: LuaLimits
    let modules: [HostModule]
    let compiled: CompiledCatalog
    /// The instance the pool was made with, until the first case runs on it.
    private var unused: Bool
    /// The instance the last case ran on, when that case ended cleanly and its VM may load
    /// the script again; nil to give the next case a new VM.
    private(set) var reusable: IntegrationInstance?
    /// False to give every case a new VM (`CheckMode.swapped`).
    let reuseVMs: Bool
    /// VMs made for cases after the first, for tests.
    private(set) var newVMs = 0

    /// `first`, a fresh instance of `name` (the one the check read the manifest from), is
    /// the VM the first case runs on.
    init(
        catalog: IntegrationCatalog, name: String, first: IntegrationInstance? = nil, limits: LuaLimits,
        modules: [HostModule], compiled: CompiledCatalog, reuseVMs: Bool = true
    ) throws(ScriptLoadError) {
        let transport = SwitchingTransport()
        let instance: IntegrationInstance
        if let first {
            instance = first
        } else {
            instance = try catalog.instance(name, limits: limits, modules: modules, compiled: compiled)
        }
        guard let source = catalog.scripts[name] else {
            throw ScriptLoadError(file: catalog.path(of: name), message: "no such integration \"\(name)\" in \(catalog.directory)")
        }
        let blueprint = IntegrationPool.Blueprint(
            source: source, file: catalog.path(of: name), libraries: catalog.libraries, limits: limits,
            cache: MemoryCacheStore(), modules: modules, compiled: compiled)
        self.pool = IntegrationPool(blueprint: blueprint, instances: [instance], transport: transport, events: nil)
        self.transport = transport
        self.catalog = catalog
        self.name = name
        self.limits = limits
        self.modules = modules
        self.compiled = compiled
        self.reuseVMs = reuseVMs
        self.unused = true
        self.reusable = instance
    }

    /// Runs `fixture` on a script no other case has touched.
    func run(_ fixture: Fixture) async -> CaseReport {
        let start = SystemClock.monotonicNanos()
        let instance: IntegrationInstance
        if unused, let first = reusable {
            instance = first
        } else {
            do {
                // A fresh cache too: each case starts with an empty one, as in its own pool.
                if reuseVMs, let previous = reusable {
                    instance = try catalog.instance(name, reusing: previous, compiled: compiled)
                } else {
                    newVMs += 1
                    instance = try catalog.instance(name, limits: limits, modules: modules, compiled: compiled)
                }
            } catch {
                reusable = nil
                return FixtureRunner.failedToLoad(fixture, error)
            }
            pool.swapInstance(instance)
        }
        unused = false
        let replay = ReplayTransport(exchanges: fixture.exchanges)
        transport.current = replay
        let credentials = fixture.credentialStore()
        let result = await pool.run(fixture.input(credentials: credentials))
        // A crash or a limit (the host's `error`) may have left the VM in any state, and a
        // worker abandoned by the watchdog may still be inside it: the next case gets a new one.
        let clean = result.outcome?.kind != .error && pool.liveCalls == 0 && !instance.vm.isAbandoned
        reusable = clean ? instance : nil
        return FixtureRunner.judge(
            fixture, result, replay: replay, pool: pool, catalog: catalog, start: start, credentials: credentials)
    }

    func shutdown() { pool.shutdown() }
}

/// Hands each request to the replay of the case running now.
final class SwitchingTransport: HTTPTransport, Sendable {
    private let replay = Mutex<ReplayTransport?>(nil)

    var current: ReplayTransport? {
        get { replay.withLock { $0 } }
        set { replay.withLock { $0 = newValue } }
    }

    func perform(_ request: OutboundRequest) async -> OutboundResponse { answer(request) }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        completion(answer(request))
    }

    private func answer(_ request: OutboundRequest) -> OutboundResponse {
        guard let current else { return .failed(.invalidRequest, detail: "no fixture case is running") }
        return current.respond(request)
    }
}

extension IntegrationPool {
    /// Replaces the VM of every worker with `instance` before the next call starts (a pool
    /// of one worker, as `FixtureSession` makes). A worker abandoned meanwhile is replaced
    /// by a new VM anyway.
    func swapInstance(_ instance: IntegrationInstance) {
        for worker in state.withLock({ $0.workers }) { worker.enqueue(.swap(instance)) }
    }
}
