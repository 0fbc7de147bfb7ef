import Host
import OutboundHTTP

extension IntegrationPool {
    /// A pool whose requests honour the script's `limits.rate`: `transport` wrapped in one
    /// `RateLimitedTransport` shared by all the pool's VMs. A reload that changes the
    /// declared rate updates the limit.
    ///
    ///     let irev = try IntegrationPool.rateLimited(catalog: catalog, name: "irev", transport: LiveTransport())
    public static func rateLimited(
        catalog: IntegrationCatalog, name: String, limits: LuaLimits = .default,
        cache: any CacheStore = MemoryCacheStore(), modules: [HostModule] = StandardModules.all,
        transport: any HTTPTransport, workers: Int = IntegrationPool.defaultWorkers,
        events: (@Sendable (PoolEvent) -> Void)? = nil
    ) throws(ScriptLoadError) -> IntegrationPool {
        let limited = RateLimitedTransport(wrapping: transport, limit: nil)
        let pool = try IntegrationPool(
            catalog: catalog, name: name, limits: limits, cache: cache, modules: modules,
            transport: limited, workers: workers, events: events)
        limited.setLimit(pool.manifest.limits.rate, scope: pool.manifest.limits.rateScope)
        return pool
    }

    /// The rate limiter in front of this pool's transport, if it has one.
    public var rateLimiter: RateLimitedTransport? { transport as? RateLimitedTransport }
}
