/// What every emulator shares: the lead store, the clock and the configuration.
public struct EmulatorContext: Sendable {
    public var store: EmulatorLeadStore
    public var configuration: EmulatorServer.Configuration

    public init(store: EmulatorLeadStore, configuration: EmulatorServer.Configuration) {
        self.store = store
        self.configuration = configuration
    }

    public var credentials: EmulatorCredentials { configuration.credentials }
    public func now() -> Double { configuration.clock.now() }

    /// The autologin URL of a lead: an emulator page that answers 200 (the Host header
    /// of the request names the emulators' server as the client reached it).
    func autologinURL(_ network: EmulatedNetwork, id: String, request: EmulatorRequest) -> String {
        let host = request.header("Host") ?? "\(configuration.host):\(configuration.port)"
        return "http://\(host)\(network.prefix)/autologin/\(id)"
    }
}

/// One emulated network: a pure function of a request (below the network's prefix) to
/// an answer, over the shared store.
public protocol NetworkEmulator: Sendable {
    var network: EmulatedNetwork { get }
    func handle(_ request: EmulatorRequest) -> EmulatorResponse
}

extension NetworkEmulator {
    /// The page an autologin URL opens.
    func autologinPage(_ request: EmulatorRequest, store: EmulatorLeadStore) -> EmulatorResponse? {
        let prefix = "/autologin/"
        guard request.method == "GET", request.path.hasPrefix(prefix) else { return nil }
        let id = String(request.path.dropFirst(prefix.count))
        guard store.lead(network, id: id) != nil else { return .text(404, "no such lead") }
        return .text(200, "\(network.rawValue) sandbox: lead \(id) logged in")
    }
}
