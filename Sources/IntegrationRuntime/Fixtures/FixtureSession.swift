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
    /// One pool (one worker thread) per integration; each case swaps in a new VM loaded
    /// from bytecode compiled once per check. The default.
    case reused
}

/// The cases of one integration run on one pool of one worker: before each case a new VM,
/// loaded from the compiled script (module-level state, globals, libraries and cache all
/// new), replaces the last one, and the case's replay answers its requests. Cases run one
/// after the other.
final class FixtureSession {
    let pool: IntegrationPool
    let transport: SwitchingTransport
    let catalog: IntegrationCatalog
    let name: String
    let limits: LuaLimits
    let modules: [HostModule]
    let compiled: CompiledCatalog
    /// The VM the pool was made with: the first case runs on it.
    var unused = true

    init(
        catalog: IntegrationCatalog, name: String, limits: LuaLimits, modules: [HostModule], compiled: CompiledCatalog
    ) throws(ScriptLoadError) {
        let transport = SwitchingTransport()
        self.pool = try IntegrationPool(
            catalog: catalog, name: name, limits: limits, modules: modules, transport: transport, workers: 1,
            compiled: compiled)
        self.transport = transport
        self.catalog = catalog
        self.name = name
        self.limits = limits
        self.modules = modules
        self.compiled = compiled
    }

    /// Runs `fixture` on a VM no other case has touched.
    func run(_ fixture: Fixture) async -> CaseReport {
        let start = SystemClock.monotonicNanos()
        if !unused {
            do {
                // A fresh cache too: each case starts with an empty one, as in its own pool.
                let instance = try catalog.instance(name, limits: limits, modules: modules, compiled: compiled)
                pool.swapInstance(instance)
            } catch {
                return FixtureRunner.failedToLoad(fixture, error)
            }
        }
        unused = false
        let replay = ReplayTransport(exchanges: fixture.exchanges)
        transport.current = replay
        let credentials = fixture.credentialStore()
        let result = await pool.run(fixture.input(credentials: credentials))
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
