import Host
import OutboundHTTP
import Synchronization

/// The integrations of a directory, each served by its own pool, kept in step with the
/// files: `rescan()` (or `watch(every:)`) loads new scripts and swaps in changed ones.
/// A script that fails to load never takes down what serves: a broken new version leaves
/// the previous one in place, and the report says why.
public final class IntegrationDirectory: Sendable {
    /// What a rescan did to one integration.
    public enum Change: Sendable, Equatable, CustomStringConvertible {
        case added(String)
        case reloaded(String)
        /// Did not load; the previous version (if any) keeps serving.
        case failed(String, ScriptLoadError)
        /// The file is gone; the loaded version keeps serving until restart.
        case missing(String)

        public var description: String {
            switch self {
            case .added(let n): return "\(n): loaded"
            case .reloaded(let n): return "\(n): reloaded"
            case .failed(let n, let e): return "\(n): not loaded: \(e)"
            case .missing(let n): return "\(n): the file is gone; the loaded version keeps serving"
            }
        }
    }

    public struct Options: Sendable {
        public var limits: LuaLimits = .default
        public var workers: Int = IntegrationPool.defaultWorkers
        public var events: (@Sendable (PoolEvent) -> Void)?
        /// Where the scripts' `credentials` module keeps its values (the service's store);
        /// nil: a call whose input names no store cannot use the module.
        public var credentials: (any CredentialStore)?
        public init() {}
    }

    public let path: String
    let transport: any HTTPTransport
    let cache: any CacheStore
    let options: Options
    private let pools = Mutex<[String: IntegrationPool]>([:])
    /// Versions that failed to load, so an unchanged broken file is not retried (and
    /// reported) on every scan.
    private let rejected = Mutex<[String: Version]>([:])
    /// Loaded integrations whose file is gone, already reported (each is reported once).
    private let missing = Mutex<Set<String>>([])

    struct Version: Equatable {
        var source: LuaSource
        var libraries: [String: LuaSource]
    }

    /// Serves the scripts of `path`; nothing is loaded until the first `rescan()`, which
    /// reports every script as added or failed. A missing directory is thrown. Each
    /// integration's pool puts `transport` behind a rate limiter of its own that follows
    /// the script's `limits.rate` (`IntegrationPool.rateLimited`).
    public init(
        path: String, transport: any HTTPTransport, cache: any CacheStore = MemoryCacheStore(),
        options: Options = Options()
    ) throws(ScriptLoadError) {
        self.path = path
        self.transport = transport
        self.cache = cache
        self.options = options
        _ = try IntegrationCatalog.scan(path)
    }

    /// The pool serving `name`, if it loaded.
    public func pool(_ name: String) -> IntegrationPool? { pools.withLock { $0[name] } }

    /// Names of the integrations serving now.
    public var names: [String] { pools.withLock { $0.keys.sorted() } }

    /// Reads the directory again and applies what changed. Unchanged scripts are not
    /// reloaded; a changed library reloads every script (any may require it). A broken or
    /// missing file is reported once, not on every scan.
    @discardableResult
    public func rescan() throws(ScriptLoadError) -> [Change] {
        let catalog = try IntegrationCatalog.scan(path)
        let current = pools.withLock { $0 }
        var changes: [Change] = []
        for name in catalog.scripts.keys.sorted() {
            let version = Version(source: catalog.scripts[name]!, libraries: catalog.libraries)
            if rejected.withLock({ $0[name] == version }) { continue }
            if let pool = current[name] {
                do {
                    if try pool.reload(from: catalog) { changes.append(.reloaded(name)) }
                } catch {
                    rejected.withLock { $0[name] = version }
                    changes.append(.failed(name, error))
                }
                continue
            }
            do {
                let pool = try IntegrationPool.rateLimited(
                    catalog: catalog, name: name, limits: options.limits, cache: cache,
                    transport: transport, workers: options.workers, events: options.events)
                pool.credentials = options.credentials
                pools.withLock { $0[name] = pool }
                changes.append(.added(name))
            } catch {
                rejected.withLock { $0[name] = version }
                changes.append(.failed(name, error))
            }
        }
        let gone = Set(current.keys.filter { catalog.scripts[$0] == nil })
        let newlyGone = missing.withLock { reported -> [String] in
            defer { reported = gone }
            return gone.subtracting(reported).sorted()
        }
        changes += newlyGone.map(Change.missing)
        return changes
    }

    /// Rescans every `interval` until the task is cancelled, passing each non-empty set
    /// of changes (or the scan error) to `report`.
    public func watch(every interval: Duration, report: @escaping @Sendable (Result<[Change], ScriptLoadError>) -> Void) -> Task<
        Void, Never
    > {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self, !Task.isCancelled else { return }
                do throws(ScriptLoadError) {
                    let changes = try rescan()
                    if !changes.isEmpty { report(.success(changes)) }
                } catch {
                    report(.failure(error))
                }
            }
        }
    }

    /// Stops every pool.
    public func shutdown() {
        for pool in pools.withLock({ Array($0.values) }) { pool.shutdown() }
    }
}
