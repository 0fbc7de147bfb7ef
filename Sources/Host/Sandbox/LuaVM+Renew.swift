/// Why a VM cannot load a script again (`LuaVM.renewGlobals(cache:)`).
public enum LuaRenewError: Error, CustomStringConvertible, Sendable {
    /// The VM was abandoned (stuck inside C past its deadline) and must never run again.
    case abandoned
    /// A hook call is still running on the VM.
    case busy
    /// The prelude could not make a new global table (out of memory).
    case globals(String)

    public var description: String {
        switch self {
        case .abandoned: return "the VM was abandoned and cannot be reused"
        case .busy: return "a call is still running on the VM"
        case .globals(let message): return "cannot make a new global table: \(message)"
        }
    }
}

extension LuaVM {
    /// Readies the VM to load a script as if it were new: a new global table (a copy of the
    /// sandbox's, unsealed, with an empty `require` cache, so libraries run their module
    /// code again) and `cache` as the store behind the `cache` module. What the last load
    /// left is garbage from then on (`IntegrationInstance` collects it once the script is
    /// loaded again; an allocation refused at the memory cap collects it first).
    ///
    /// What stays is what no script can reach or change: the compiled prelude and host
    /// modules, the bounded library functions, the coroutines kept for reuse and the random
    /// generator (reseeded). Reuse only a VM whose last call ended cleanly: after a crash or
    /// a limit, make a new one.
    public func renewGlobals(cache: any CacheStore) throws(LuaRenewError) {
        if isAbandoned { throw .abandoned }
        if running != nil { throw .busy }
        do { try installGlobals() } catch { throw .globals("\(error)") }
        self.cache = cache
    }
}
