import Foundation
import Hummingbird
import IntegrationRuntime
import LeadJSON
import Logging

/// The service's HTTP server (`leadrelay serve`): the intake API and `/health`, over a
/// store, with a dispatcher delivering what comes in. So far: posting and reading leads with
/// an API key (docs/service.md says what is still to come).
///
///     let server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 8080), store: store, dispatcher: dispatcher)
///     ...
///     await server.stop()
public final class LeadRelayServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0: an ephemeral port (tests).
        public var port: Int

        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }

    public let port: Int
    private let task: Task<Void, any Error>
    private let dispatcher: Dispatcher?
    private let dispatching: Task<Void, Never>?

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private init(port: Int, task: Task<Void, any Error>, dispatcher: Dispatcher?, dispatching: Task<Void, Never>?) {
        self.port = port
        self.task = task
        self.dispatcher = dispatcher
        self.dispatching = dispatching
    }

    /// Starts serving on `configuration`'s address, and `dispatcher` (if any) delivering;
    /// the admin API checks new routes with `routes` (`RouteSetup(directory:)`).
    public static func start(
        _ configuration: Configuration, store: SQLiteStore, dispatcher: Dispatcher?, routes: RouteSetup = .none,
        logger: Logger = Logger(label: "leadrelay")
    ) async throws -> LeadRelayServer {
        let router = Router(context: ServiceRequestContext.self)
        router.get("/health") { _, context in JSONAnswer.make(.ok, ["status": .string("ok")], context: context) }
        IntakeRoutes(store: store, offers: store, keys: KeyCheck(store: store), dispatcher: dispatcher).register(on: router)
        AdminRoutes(store: store, routes: routes).register(on: router)
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "LeadRelay"),
            onServerRunning: { channel in
                announce.yield(channel.localAddress?.port ?? 0)
                announce.finish()
            },
            logger: logger)
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
        let dispatching = dispatcher.map { dispatcher in Task { await dispatcher.run() } }
        return LeadRelayServer(port: port, task: task, dispatcher: dispatcher, dispatching: dispatching)
    }

    /// Stops taking requests, then stops the dispatcher (its attempts in flight are written back).
    public func stop() async {
        task.cancel()
        _ = await task.result
        dispatcher?.stop()
        await dispatching?.value
    }
}
