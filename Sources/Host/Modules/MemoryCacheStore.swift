import Synchronization

/// An in-process `CacheStore`: one `CachePartition` per integration behind a mutex,
/// shared by all VMs of a process, bounded by `limits` per integration (entries, bytes,
/// longest TTL; the least recently used entries are evicted to make room). Entries expire
/// on the calls' clock (`HostCall.now`); expired ones are dropped without being read: in
/// the partition a call touches, in every partition whenever the clock the calls give has
/// moved, and by `purgeExpired(now:)`.
public final class MemoryCacheStore: CacheStore {
    public let limits: CacheLimits

    private struct State {
        var partitions: [String: CachePartition] = [:]
        var lastSweep: Int64 = .min
    }

    private let state = Mutex(State())

    public init(limits: CacheLimits = .default) {
        self.limits = limits
    }

    public func get(namespace: String, key: String, now: Int64) -> [UInt8]? {
        let (integration, k) = Self.address(namespace, key)
        return state.withLock { s in
            Self.sweep(&s, now: now)
            return s.partitions[integration]?.get(k, now: Double(now))
        }
    }

    public func set(namespace: String, key: String, value: [UInt8], ttl: Double, now: Int64) throws(CacheStoreError) {
        let (integration, k) = Self.address(namespace, key)
        let expires = Double(now) + min(ttl, limits.maxTTLSeconds)
        try state.withLock { (s: inout State) throws(CacheStoreError) in
            Self.sweep(&s, now: now)
            try s.partitions[integration, default: CachePartition()].set(
                k, value: value, expires: expires, now: Double(now), limits: limits)
        }
    }

    public func delete(namespace: String, key: String) {
        let (integration, k) = Self.address(namespace, key)
        state.withLock { $0.partitions[integration]?.remove(k) }
    }

    /// Drops every entry expired at `now`, in every integration.
    public func purgeExpired(now: Int64) {
        state.withLock { s in
            for name in s.partitions.keys { s.partitions[name]!.dropExpired(now: Double(now)) }
        }
    }

    /// What `integration` holds now.
    public func usage(of integration: String) -> CacheUsage {
        state.withLock { s in
            let p = s.partitions[integration]
            return CacheUsage(entries: p?.count ?? 0, bytes: p?.bytes ?? 0)
        }
    }

    /// Drops what expired everywhere when the calls' clock moved since the last sweep.
    private static func sweep(_ s: inout State, now: Int64) {
        guard now != s.lastSweep else { return }
        s.lastSweep = now
        for name in s.partitions.keys { s.partitions[name]!.dropExpired(now: Double(now)) }
    }

    /// The integration a namespace (`<integration>/<offer>`) belongs to, and the entry's
    /// key inside its partition.
    private static func address(_ namespace: String, _ key: String) -> (String, String) {
        let integration = namespace.firstIndex(of: "/").map { String(namespace[..<$0]) } ?? namespace
        return (integration, namespace + "\u{0}" + key)
    }
}
