import Host
import IntegrationRuntime
import LeadJSON
import NetworkSandbox
import OutboundHTTP
import XCTest

/// A sandbox on an ephemeral loopback port with a manual clock, and a `LiveTransport`
/// client to talk to it over real HTTP.
final class SandboxHarness: @unchecked Sendable {
    let clock: ManualSandboxClock
    let sandbox: NetworkSandbox
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))

    static func start(_ configure: (inout NetworkSandbox.Configuration) -> Void = { _ in }) async throws -> SandboxHarness {
        let clock = ManualSandboxClock(start: 1_767_225_600)   // 2026-01-01T00:00:00Z
        var configuration = NetworkSandbox.Configuration(postbackInterval: 0, clock: clock)
        configure(&configuration)
        let sandbox = try await NetworkSandbox.start(configuration)
        return SandboxHarness(clock: clock, sandbox: sandbox)
    }

    private init(clock: ManualSandboxClock, sandbox: NetworkSandbox) {
        self.clock = clock
        self.sandbox = sandbox
    }

    func stop() async {
        client.shutdown()
        await sandbox.stop()
    }

    var credentials: SandboxCredentials { sandbox.configuration.credentials }

    /// Sends a request to `path` (below the sandbox root, e.g. `/irev/api/...`).
    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: String = "") async -> OutboundResponse {
        let request = OutboundRequest(method: method, url: sandbox.rootURL + path,
                                  headers: headers.map { (name: $0.0, value: $0.1) }, body: Array(body.utf8), timeout: 10)
        return await client.perform(request)
    }

    /// Sends a JSON body.
    func send(_ method: String, _ path: String, headers: [(String, String)] = [], json: JSONValue) async -> OutboundResponse {
        await send(method, path, headers: headers + [("Content-Type", "application/json")], body: json.encoded())
    }
}

extension OutboundResponse {
    /// The body parsed as JSON (fails the test when it is not).
    func json(file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        do { return try JSONValue.parse(body) } catch {
            XCTFail("not JSON (\(status)): \(String(decoding: body, as: UTF8.self))", file: file, line: line)
            return .null
        }
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}
