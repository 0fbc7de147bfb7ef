import Hummingbird
import Logging
import OutboundHTTP
import Synchronization

/// The running network emulators: the documented networks on 127.0.0.1, built on
/// Hummingbird. Each emulator lives under its network's prefix (`/clixnow`, `/irev`,
/// `/trackbox`, `/altercpa`) followed by the network's own paths; `GET /instant` answers
/// `{"ok":true}` at once (no latency, no failures) for benchmarks.
///
/// ```swift
/// let emulators = try await EmulatorServer.start(EmulatorServer.Configuration())
/// let irev = emulators.baseURL(.irev)      // "http://127.0.0.1:<port>/irev"
/// await emulators.stop()
/// ```
public final class EmulatorServer: Sendable {
    public let configuration: Configuration
    /// The leads every emulator holds.
    public let store: EmulatorLeadStore
    /// The port the server listens on.
    public let port: Int
    private let serverTask: Task<Void, Error>
    private let postbackTask: Task<Void, Never>?
    private let postbacks: PostbackSender?

    /// Why the emulators could not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private init(
        configuration: Configuration, store: EmulatorLeadStore, port: Int, serverTask: Task<Void, Error>, postbacks: PostbackSender?
    ) {
        self.configuration = configuration
        self.store = store
        self.port = port
        self.serverTask = serverTask
        self.postbacks = postbacks
        var config = configuration
        config.port = port
        if let postbacks, configuration.postbackInterval > 0 {
            let interval = configuration.postbackInterval
            let clock = configuration.clock
            postbackTask = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
                    await Self.deliver(store: store, clock: clock, sender: postbacks)
                }
            }
        } else {
            postbackTask = nil
        }
    }

    /// Starts the server and returns once it listens.
    public static func start(_ configuration: Configuration) async throws -> EmulatorServer {
        let store = EmulatorLeadStore(timeline: { configuration.timeline(forEmail: $0) })
        let context = EmulatorContext(store: store, configuration: configuration)
        let emulators: [any NetworkEmulator] = [
            ClixnowEmulator(context: context), IREVEmulator(context: context),
            TrackboxEmulator(context: context, pageLimit: configuration.trackboxPageLimit),
            AlterCPAEmulator(context: context),
        ]
        let router = EmulatorRouter.build(emulators: emulators, configuration: configuration)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "LeadRelay-Sandbox"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Self.quietLogger()
        )
        let task = Task {
            defer { portContinuation.finish() }
            try await app.run()
        }
        var port = 0
        for await bound in portStream { port = bound }
        guard port > 0 else {
            task.cancel()
            let failure = await task.result
            if case .failure(let error) = failure {
                throw StartError(description: "sandbox could not listen on \(configuration.host):\(configuration.port): \(error)")
            }
            throw StartError(description: "sandbox could not listen on \(configuration.host):\(configuration.port)")
        }
        let sender =
            configuration.sendsPostbacks
            ? PostbackSender(
                urls: Dictionary(
                    uniqueKeysWithValues: EmulatedNetwork.allCases.compactMap { n in configuration.postbackURL(for: n).map { (n, $0) } }),
                transport: LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))) : nil
        return EmulatorServer(configuration: configuration, store: store, port: port, serverTask: task, postbacks: sender)
    }

    /// Hummingbird's own log, errors only (cancellation on `stop()` is logged at error
    /// level by HummingbirdCore, so that one is dropped too).
    private static func quietLogger() -> Logger {
        var logger = Logger(label: "leadrelay.sandbox")
        logger.logLevel = .critical
        return logger
    }

    /// `http://127.0.0.1:<port>/<network>`: the base URL a script's `base_url` points at
    /// (AlterCPA's API root, Clixnow's is this plus `/api/system/v1`).
    public func baseURL(_ network: EmulatedNetwork) -> String {
        "http://\(configuration.host):\(port)\(network.prefix)"
    }

    /// `http://127.0.0.1:<port>`.
    public var rootURL: String { "http://\(configuration.host):\(port)" }

    /// Sends the postbacks of every status change up to now (the emulator clock) to the
    /// addresses configured for the leads' networks and returns how many were sent; tests
    /// call it after moving a manual clock.
    @discardableResult
    public func deliverDuePostbacks() async -> Int {
        guard let postbacks else { return 0 }
        return await Self.deliver(store: store, clock: configuration.clock, sender: postbacks)
    }

    @discardableResult
    private static func deliver(store: EmulatorLeadStore, clock: any EmulatorClock, sender: PostbackSender) async -> Int {
        let now = clock.now()
        let changes = store.takeTransitions(at: now)
        var sent = 0
        for change in changes where sender.urls[change.lead.network] != nil {
            _ = await sender.send(lead: change.lead, state: change.state, at: change.lead.stateSince(at: now))
            sent += 1
        }
        return sent
    }

    /// Stops the server and the postback loop; waits until the port is closed.
    public func stop() async {
        postbackTask?.cancel()
        serverTask.cancel()
        _ = await serverTask.result
        _ = await postbackTask?.value
        postbacks?.transport.shutdown()
    }
}
