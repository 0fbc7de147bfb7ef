/// Storage behind the `cache` module. Values are stored JSON-encoded; entries expire
/// `ttl` seconds after they were set, measured on the call's clock (`HostCall.now`).
/// A namespace is `<integration>/<offer id>`: a store bounds what each integration holds
/// (the part before the first `/`, all its offers together), see `MemoryCacheStore`.
public protocol CacheStore: Sendable {
    func get(namespace: String, key: String, now: Int64) -> [UInt8]?
    /// Stores `value`, making room as the store's limits say; throws when it cannot.
    func set(namespace: String, key: String, value: [UInt8], ttl: Double, now: Int64) throws(CacheStoreError)
    func delete(namespace: String, key: String)
}
