import Host

/// What every emulator shares: the lead store, the clock and the configuration.
public struct EmulatorContext: Sendable {
    public var store: LeadStore
    public var configuration: NetworkSandbox.Configuration

    public init(store: LeadStore, configuration: NetworkSandbox.Configuration) {
        self.store = store
        self.configuration = configuration
    }

    public var credentials: SandboxCredentials { configuration.credentials }
    public func now() -> Double { configuration.clock.now() }

    /// The autologin URL of a lead: a sandbox page that answers 200 (the Host header
    /// of the request names the sandbox as the client reached it).
    func autologinURL(_ network: SandboxNetwork, id: String, request: SandboxRequest) -> String {
        let host = request.header("Host") ?? "\(configuration.host):\(configuration.port)"
        return "http://\(host)\(network.prefix)/autologin/\(id)"
    }
}

/// One emulated network: a pure function of a request (below the network's prefix) to
/// an answer, over the shared store.
public protocol NetworkEmulator: Sendable {
    var network: SandboxNetwork { get }
    func handle(_ request: SandboxRequest) -> SandboxResponse
}

extension NetworkEmulator {
    /// The page an autologin URL opens.
    func autologinPage(_ request: SandboxRequest, store: LeadStore) -> SandboxResponse? {
        let prefix = "/autologin/"
        guard request.method == "GET", request.path.hasPrefix(prefix) else { return nil }
        let id = String(request.path.dropFirst(prefix.count))
        guard store.lead(network, id: id) != nil else { return .text(404, "no such lead") }
        return .text(200, "\(network.rawValue) sandbox: lead \(id) logged in")
    }
}
