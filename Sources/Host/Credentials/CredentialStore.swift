/// Durable storage behind the `credentials` module: small secret strings (an OAuth refresh
/// token that rotates on every use) kept across calls, processes and restarts. A scope is
/// `<integration>/<offer id>`, the same as the cache's (`HostCall.cacheNamespace`); a store
/// never lets one scope read another's entries.
///
/// Three implementations: `MemoryCredentialStore` (`leadrelay check`, a fixture seeds it),
/// `FileCredentialStore` (`leadrelay run`, a 0600 file written atomically) and the service's
/// SQLite store (values sealed with the service's secrets key). Calls are synchronous: a
/// script writes only when it refreshes a token, and every implementation bounds the wait.
public protocol CredentialStore: Sendable {
    /// The value stored under `key` in `scope`, or nil.
    func credential(_ key: String, in scope: String) throws(CredentialStoreError) -> String?

    /// Stores `value` under `key` in `scope` (nil: deletes it) when what is stored now
    /// matches `expected`, and returns true; returns false, changing nothing, when it does
    /// not (another call rotated the value first). Throws when the store cannot answer or
    /// the scope is full (`CredentialLimits.entriesPerScope`).
    func setCredential(_ key: String, to value: String?, in scope: String, ifCurrent expected: CredentialExpectation)
        throws(CredentialStoreError) -> Bool
}

/// What a compare-and-set expects to find stored (`credentials.set(key, v, {expect = old})`).
public enum CredentialExpectation: Sendable, Equatable {
    /// Writes whatever is stored.
    case anything
    /// Writes only when nothing is stored under the key.
    case absent
    /// Writes only when exactly this value is stored.
    case value(String)

    /// Whether `current` (nil: nothing stored) is what this expects.
    public func matches(_ current: String?) -> Bool {
        switch self {
        case .anything: return true
        case .absent: return current == nil
        case .value(let v): return current == v
        }
    }
}

/// The bounds of the `credentials` module and of every store.
public enum CredentialLimits {
    /// Longest key, in bytes.
    public static let maxKeyBytes = 256
    /// Longest value, in bytes (a value is a secret: as long as `log.secret` takes).
    public static let maxValueBytes = 4096
    /// Entries one scope (integration and offer) may hold.
    public static let entriesPerScope = 32
}

/// Why a credential store could not answer (`credentials.get`/`set`/`delete` raise with
/// it). Its message names the scope and the key, never a value.
public struct CredentialStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// The error of a scope that already holds `CredentialLimits.entriesPerScope` keys.
    public static func full(_ scope: String, adding key: String) -> CredentialStoreError {
        CredentialStoreError(
            "\(scope): cannot add '\(key)': a scope holds at most \(CredentialLimits.entriesPerScope) credentials")
    }
}
