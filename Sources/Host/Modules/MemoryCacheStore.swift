import Synchronization

/// An in-process `CacheStore`: a dictionary behind a mutex, entries expiring on the
/// call's clock. Shared by all VMs of a process.
public final class MemoryCacheStore: CacheStore {
    private struct Entry {
        var value: [UInt8]
        var expires: Double
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    public func get(namespace: String, key: String, now: Int64) -> [UInt8]? {
        let k = namespace + "\u{0}" + key
        return entries.withLock { map in
            guard let e = map[k] else { return nil }
            if e.expires <= Double(now) {
                map[k] = nil
                return nil
            }
            return e.value
        }
    }

    public func set(namespace: String, key: String, value: [UInt8], ttl: Double, now: Int64) {
        let k = namespace + "\u{0}" + key
        entries.withLock { $0[k] = Entry(value: value, expires: Double(now) + ttl) }
    }

    public func delete(namespace: String, key: String) {
        let k = namespace + "\u{0}" + key
        entries.withLock { $0[k] = nil }
    }
}
