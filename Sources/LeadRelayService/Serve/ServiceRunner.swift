import Foundation
import Hummingbird
import IntegrationRuntime
import Logging
import OutboundHTTP
import ServiceLifecycle
import Synchronization

/// Runs `leadrelay serve`: opens the store with the secrets key, loads the integrations,
/// then runs the API server, the dispatcher, the status scheduler, the affiliate postback sender
/// and the script reloader as one
/// swift-service-lifecycle group until SIGTERM or SIGINT. A stop is graceful: the service
/// turns not-ready, stops taking requests and answers the ones under way, the dispatcher
/// stops claiming, hands back the leads it had not started and writes back the attempts in
/// flight (for at most `shutdown.graceSeconds`; an attempt still running then keeps its
/// lease and is delivered again, flagged, after it runs out), and the process exits 0.
public enum ServiceRunner {
    /// Serves until a stop signal. `onListening` gets the bound port once the API listens.
    public static func run(
        _ settings: ServiceSettings, environment: [String: String], logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws(ServeError) {
        let key: SecretKey
        do { key = try SecretKey.load(environment: environment, file: settings.keyFile) } catch { throw .secrets(error) }
        let store: SQLiteStore
        do { store = try SQLiteStore(path: settings.storePath, sealer: SecretSealer(key: key)) } catch { throw .store(error) }
        let transport = LiveTransport(configuration: .init(engine: settings.engine, egressPolicy: settings.scriptEgressPolicy))
        defer { transport.shutdown() }
        let scripts: IntegrationDirectory
        do {
            var options = IntegrationDirectory.Options()
            // The scripts' `credentials` (a rotating refresh token) live in the store, sealed.
            options.credentials = store
            scripts = try IntegrationDirectory(path: settings.integrationsDirectory, transport: transport, options: options)
            for change in try scripts.rescan() { ScriptChangeLog.log(change, to: logger) }
        } catch {
            throw .integrations(path: settings.integrationsDirectory, error)
        }
        defer { scripts.shutdown() }

        let metrics = ServiceMetrics()
        // Affiliates type their postback URLs in: their calls get a transport of their own,
        // with the postbacks' stricter egress policy.
        let postbackTransport = LiveTransport(
            configuration: .init(engine: settings.engine, egressPolicy: .allowing(settings.postbackEgress)))
        defer { postbackTransport.shutdown() }
        let postbacks = AffiliatePostbackSender(
            store: store, transport: postbackTransport, configuration: .init(allowedPorts: settings.postbackPorts), metrics: metrics,
            logger: logger)
        var engine = DeliveryEngine.Configuration()
        engine.attemptTimeout = settings.attemptTimeout
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { scripts.pool($0) },
            configuration: .init(
                owner: settings.effectiveOwner, batch: settings.batch, maxInFlight: settings.maxInFlight,
                leaseSeconds: settings.leaseSeconds, engine: engine),
            observer: ServiceObserver(metrics: metrics, logger: logger))
        let changes = ChangeDispatcher(
            store: store, offers: store, runner: { scripts.pool($0) },
            configuration: .init(owner: settings.effectiveOwner, leaseSeconds: settings.leaseSeconds, engine: engine))
        var parts = LeadRelayServer.Parts(
            store: store, dispatcher: dispatcher, metrics: metrics, routes: RouteSetup(directory: scripts), scripts: scripts,
            pools: { scripts.pool($0) }, logger: logger, postbacks: postbacks, integrations: { scripts.names.count })
        parts.changes = changes
        let scheduler = StatusScheduler(store: store, pools: { scripts.pool($0) }, logger: logger, metrics: metrics)
        let listening = ListeningFlag()
        let server = LeadRelayServer.application(
            .init(host: settings.host, port: settings.port, trustedProxies: settings.trustedProxies), parts: parts, logger: logger
        ) { port in
            listening.set()
            logger.notice(
                "listening", metadata: ["address": "http://\(settings.host):\(port)", "integrations": "\(scripts.names.count)"])
            await onListening(port)
        }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if settings.reloadSeconds > 0 {
            services.append(
                .init(
                    service: ScriptReloadService(
                        scripts: scripts, interval: .seconds(settings.reloadSeconds), store: store, logger: logger)))
        }
        if let days = settings.retentionDays {
            services.append(
                .init(service: RetentionService(retention: Retention(store: store, days: days), interval: .seconds(3600), logger: logger)))
        }
        services.append(.init(service: StatusSchedulerService(scheduler: scheduler)))
        services.append(.init(service: AffiliatePostbackService(sender: postbacks)))
        services.append(.init(service: DispatcherService(dispatcher: dispatcher)))
        services.append(.init(service: ChangeDispatcherService(changes: changes)))
        services.append(.init(service: server))
        services.append(.init(service: StoppingMarker(health: parts.health), successTerminationBehavior: .ignore))
        // Shut down in reverse order: not-ready first, then the server, the dispatcher, the reloader.
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(settings.shutdownGraceSeconds)
        configuration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: configuration)
        do {
            try await group.run()
        } catch {
            guard listening.isSet else { throw .listen(host: settings.host, port: settings.port) }
            logger.warning(
                "stopped before every attempt in flight was written back; those leads keep their leases and are delivered again, flagged, once the leases run out",
                metadata: ["error": "\(error)", "in_flight": "\(dispatcher.inFlight)"])
            return
        }
        logger.notice("stopped", metadata: ["in_flight": "\(dispatcher.inFlight)"])
    }
}

/// Whether the server got as far as listening (a group that fails before did not start).
final class ListeningFlag: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var isSet: Bool { flag.withLock { $0 } }
}
