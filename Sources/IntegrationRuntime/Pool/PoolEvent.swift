/// Something a pool wants its operators to know, beyond single calls' results.
public enum PoolEvent: Sendable, CustomStringConvertible {
    /// A VM stayed inside C code past its deadline plus the grace period; its calls ended
    /// as `error` and a fresh VM took its place.
    case vmAbandoned(integration: String, worker: Int, overrunSeconds: Double, callsEnded: Int)
    /// A new version of the script serves new calls.
    case reloaded(integration: String)
    /// A new version could not be loaded; the previous one keeps serving.
    case reloadFailed(integration: String, error: ScriptLoadError)
    /// A replacement VM could not be created (the pool runs with fewer workers).
    case replacementFailed(integration: String, error: ScriptLoadError)

    public var description: String {
        switch self {
        case .vmAbandoned(let name, let worker, let overrun, let ended):
            let over = (overrun * 10).rounded() / 10
            return
                "\(name): VM \(worker) stuck inside C code \(over) s past its deadline (a pathological string pattern?): abandoned and replaced; \(ended) call(s) ended as error"
        case .reloaded(let name):
            return "\(name): reloaded; new calls run the new version"
        case .reloadFailed(let name, let error):
            return "\(name): reload failed, the previous version keeps serving: \(error)"
        case .replacementFailed(let name, let error):
            return "\(name): could not create a replacement VM: \(error)"
        }
    }
}
