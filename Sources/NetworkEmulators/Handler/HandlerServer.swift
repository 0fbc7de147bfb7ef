import Hummingbird
import Logging

/// A loopback HTTP server that answers every request with one function: what
/// `leadrelay mock` serves recorded fixtures with. Listens on 127.0.0.1 only, like the
/// emulators, on Hummingbird.
///
/// ```swift
/// let server = try await HandlerServer.start(port: 0) { request in
///     EmulatorResponse.text(200, "hello \(request.path)")
/// }
/// print(server.rootURL)   // http://127.0.0.1:<port>
/// await server.stop()
/// ```
public final class HandlerServer: Sendable {
    /// A request as the handler sees it: the whole path, the raw query (without `?`),
    /// headers as sent and the body.
    public struct Incoming: Sendable {
        public var method: String
        public var path: String
        public var query: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
    }

    /// The only address the server binds.
    public static let host = "127.0.0.1"
    /// The largest body the server reads.
    public static let maxBody = 4 * 1024 * 1024

    /// The port the server listens on.
    public let port: Int
    private let task: Task<Void, Error>

    private init(port: Int, task: Task<Void, Error>) {
        self.port = port
        self.task = task
    }

    /// `http://127.0.0.1:<port>`.
    public var rootURL: String { "http://\(Self.host):\(port)" }

    /// Starts the server on `port` (0 picks a free one) and returns once it listens.
    public static func start(
        port: Int, handler: @escaping @Sendable (Incoming) async -> EmulatorResponse
    ) async throws -> HandlerServer {
        let router = Router()
        router.add(middleware: HandlerMiddleware(handler: handler))
        let (portStream, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "leadrelay.mock")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "LeadRelay-Mock"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var bound = 0
        for await p in portStream { bound = p }
        guard bound > 0 else {
            task.cancel()
            if case .failure(let error) = await task.result {
                throw EmulatorServer.StartError(description: "could not listen on \(host):\(port): \(error)")
            }
            throw EmulatorServer.StartError(description: "could not listen on \(host):\(port)")
        }
        return HandlerServer(port: bound, task: task)
    }

    /// Stops the server; waits until the port is closed.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Hands every request to the handler; nothing reaches the router's routes.
struct HandlerMiddleware<Context: RequestContext>: RouterMiddleware {
    let handler: @Sendable (HandlerServer.Incoming) async -> EmulatorResponse

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let buffer = try await request.body.collect(upTo: HandlerServer.maxBody)
        let incoming = HandlerServer.Incoming(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            headers: request.headers.map { (name: $0.name.rawName, value: $0.value) },
            body: Array(buffer.readableBytesView))
        return EmulatorRouter.convert(await handler(incoming))
    }
}
