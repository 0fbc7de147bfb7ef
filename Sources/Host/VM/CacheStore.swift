/// Storage behind the `cache` module. Values are stored JSON-encoded; entries expire
/// `ttl` seconds after they were set, measured on the call's clock (`HostCall.now`).
public protocol CacheStore: Sendable {
    func get(namespace: String, key: String, now: Int64) -> [UInt8]?
    func set(namespace: String, key: String, value: [UInt8], ttl: Double, now: Int64)
    func delete(namespace: String, key: String)
}
