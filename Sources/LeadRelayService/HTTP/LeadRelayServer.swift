import Foundation
import Hummingbird
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP

/// The service's HTTP server: the intake API, `/health` and `/metrics`, over a store, with a
/// dispatcher delivering what comes in. `leadrelay serve` runs `application(...)` under
/// swift-service-lifecycle (`ServiceRunner`); tests `start` one on an ephemeral port.
///
///     let server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), parts: parts)
///     ...
///     await server.stop()
public final class LeadRelayServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0: an ephemeral port (tests).
        public var port: Int
        /// Peers whose `X-Forwarded-For` and `-Proto` are believed (`proxies.trusted`).
        public var trustedProxies: [AddressBlock]

        public init(host: String = "127.0.0.1", port: Int = 8080, trustedProxies: [AddressBlock] = []) {
            self.host = host
            self.port = port
            self.trustedProxies = trustedProxies
        }
    }

    /// What the routes work on.
    public struct Parts: Sendable {
        public var store: SQLiteStore
        public var dispatcher: Dispatcher?
        public var metrics: ServiceMetrics
        public var health: ServiceHealth
        /// How many integrations are loaded now.
        public var integrations: @Sendable () -> Int
        /// How the admin API checks new routes (`RouteSetup(directory:)` of the loaded scripts).
        public var routes: RouteSetup
        /// The loaded scripts, for the test window (nil: it refuses).
        public var scripts: IntegrationDirectory?
        /// The pool of an integration by name, for postbacks (`IntegrationDirectory.pool`).
        public var pools: @Sendable (String) -> IntegrationPool?
        /// Where postbacks log what they could not store.
        public var logger: Logger
        /// Sends affiliate postbacks: the admin API's test call goes through it, and its
        /// ports check new templates (nil: test calls are refused, ports 80 and 443).
        public var postbacks: AffiliatePostbackSender?
        /// Delivers the changes of delivered leads (PATCH, approved onward); nil: they stay queued.
        public var changes: ChangeDispatcher?

        public init(
            store: SQLiteStore, dispatcher: Dispatcher?, metrics: ServiceMetrics = ServiceMetrics(), routes: RouteSetup = .none,
            scripts: IntegrationDirectory? = nil, pools: @escaping @Sendable (String) -> IntegrationPool? = { _ in nil },
            logger: Logger = Logger(label: "leadrelay"), postbacks: AffiliatePostbackSender? = nil,
            integrations: @escaping @Sendable () -> Int
        ) {
            self.postbacks = postbacks
            self.scripts = scripts
            self.pools = pools
            self.logger = logger
            self.routes = routes
            self.store = store
            self.dispatcher = dispatcher
            self.metrics = metrics
            self.integrations = integrations
            health = ServiceHealth(store: store, integrations: integrations)
        }
    }

    public let port: Int
    private let task: Task<Void, any Error>
    private let dispatcher: Dispatcher?
    private let dispatching: Task<Void, Never>?
    private let changes: ChangeDispatcher?
    private let changing: Task<Void, Never>?

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private init(
        port: Int, task: Task<Void, any Error>, dispatcher: Dispatcher?, dispatching: Task<Void, Never>?, changes: ChangeDispatcher?,
        changing: Task<Void, Never>?
    ) {
        self.changes = changes
        self.changing = changing
        self.port = port
        self.task = task
        self.dispatcher = dispatcher
        self.dispatching = dispatching
    }

    /// Every route of the service, with its middlewares.
    static func router(_ configuration: Configuration, parts: Parts) -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: ForwardedClientMiddleware(client: ForwardedClient(trusted: configuration.trustedProxies)))
        router.add(middleware: IntakeMetricsMiddleware(metrics: parts.metrics))
        OperationsRoutes(
            health: parts.health, metrics: parts.metrics, store: parts.store, dispatcher: parts.dispatcher,
            integrations: parts.integrations
        ).register(on: router)
        let keys = KeyCheck(store: parts.store, cacheSeconds: IntakeRoutes.cacheSeconds)
        let offers = ExpiringCache<StoredOffer>(seconds: IntakeRoutes.cacheSeconds)
        IntakeRoutes(
            store: parts.store, offers: parts.store, keys: keys, dispatcher: parts.dispatcher, offerCache: offers, statuses: parts.store,
            changes: parts.store, changeDispatcher: parts.changes, manifest: parts.routes.manifest
        ).register(on: router)
        let admin = AdminRoutes(
            store: parts.store, routes: parts.routes, scripts: parts.scripts,
            postbackPorts: parts.postbacks?.configuration.allowedPorts ?? [80, 443]
        ) {
            keys.forgetKept()
            offers.removeAll()
        }
        admin.register(on: router)
        admin.registerPostbacks(on: router, sender: parts.postbacks, store: parts.store)
        ReportRoutes(store: parts.store, keys: keys, employees: EmployeeCheck(store: parts.store), changes: parts.store).register(
            on: router)
        PostbackRoutes(store: parts.store, pools: parts.pools, logger: parts.logger, metrics: parts.metrics).register(on: router)
        OpenAPIDocument.register(on: router)
        return router
    }

    /// The Hummingbird application serving `parts` on `configuration`'s address; `onRunning`
    /// gets the bound port once it listens.
    public static func application(
        _ configuration: Configuration, parts: Parts, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router(configuration, parts: parts),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "LeadRelay"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Starts serving on `configuration`'s address, and `parts.dispatcher` (if any) delivering.
    public static func start(
        _ configuration: Configuration, parts: Parts, logger: Logger = Logger(label: "leadrelay")
    ) async throws -> LeadRelayServer {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = application(configuration, parts: parts, logger: logger) { port in
            announce.yield(port)
            announce.finish()
        }
        let task = Task {
            defer { announce.finish() }
            try await app.run()
        }
        var port = 0
        for await bound in ports { port = bound }
        guard port > 0 else {
            task.cancel()
            throw StartError(description: "cannot listen on \(configuration.host):\(configuration.port)")
        }
        let dispatcher = parts.dispatcher
        let dispatching = dispatcher.map { dispatcher in Task { await dispatcher.run() } }
        let changing = parts.changes.map { changes in Task { await changes.run() } }
        return LeadRelayServer(
            port: port, task: task, dispatcher: dispatcher, dispatching: dispatching, changes: parts.changes, changing: changing)
    }

    /// `start` with a store and a dispatcher, counting one integration as loaded; the admin
    /// API checks new routes with `routes`.
    public static func start(
        _ configuration: Configuration, store: SQLiteStore, dispatcher: Dispatcher?, routes: RouteSetup = .none,
        logger: Logger = Logger(label: "leadrelay")
    ) async throws -> LeadRelayServer {
        try await start(
            configuration, parts: Parts(store: store, dispatcher: dispatcher, routes: routes, integrations: { 1 }), logger: logger)
    }

    /// Stops taking requests, then stops the dispatcher (its attempts in flight are written back).
    public func stop() async {
        task.cancel()
        _ = await task.result
        dispatcher?.stop()
        changes?.stop()
        await dispatching?.value
        await changing?.value
    }
}
