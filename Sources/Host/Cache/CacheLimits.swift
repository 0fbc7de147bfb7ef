/// How much one integration may keep in a `MemoryCacheStore` (all its offers together).
/// When a `cache.set` would go over `entries` or `bytes`, the least recently used entries
/// (read or written longest ago) are evicted first; a TTL longer than `maxTTLSeconds` is
/// cut to it.
public struct CacheLimits: Sendable, Equatable {
    /// Entries per integration.
    public var entries: Int = 10_000
    /// Bytes per integration: each entry counts its key, its value (JSON) and
    /// `entryOverheadBytes`.
    public var bytes: Int = 16 * 1024 * 1024
    /// The longest an entry lives (24 h); `cache.set` with a longer TTL gets this one.
    public var maxTTLSeconds: Double = 24 * 3600

    /// What an entry costs beyond its key and value (its bookkeeping).
    public static let entryOverheadBytes = 64

    public init() {}

    /// 10,000 entries, 16 MiB, 24 h per integration.
    public static let `default` = CacheLimits()
}

/// What one integration holds in a cache store.
public struct CacheUsage: Sendable, Equatable {
    public var entries: Int
    /// Bytes as `CacheLimits.bytes` counts them.
    public var bytes: Int

    public init(entries: Int, bytes: Int) {
        self.entries = entries
        self.bytes = bytes
    }
}

/// Why a cache store refused a value (`cache.set` raises with it).
public struct CacheStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
