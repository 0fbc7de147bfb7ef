import Host
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import OutboundHTTP
import XCTest

/// The emulators on an ephemeral loopback port with a manual clock, and a `LiveTransport`
/// client to talk to it over real HTTP.
final class EmulatorHarness: @unchecked Sendable {
    let clock: ManualEmulatorClock
    let server: EmulatorServer
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))

    static func start(_ configure: (inout EmulatorServer.Configuration) -> Void = { _ in }) async throws -> EmulatorHarness {
        let clock = ManualEmulatorClock(start: 1_767_225_600)  // 2026-01-01T00:00:00Z
        var configuration = EmulatorServer.Configuration(postbackInterval: 0, clock: clock)
        configure(&configuration)
        let server = try await EmulatorServer.start(configuration)
        return EmulatorHarness(clock: clock, server: server)
    }

    private init(clock: ManualEmulatorClock, server: EmulatorServer) {
        self.clock = clock
        self.server = server
    }

    func stop() async {
        client.shutdown()
        await server.stop()
    }

    var credentials: EmulatorCredentials { server.configuration.credentials }

    /// Sends a request to `path` (below the emulators' root, e.g. `/irev/api/...`).
    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: String = "") async -> OutboundResponse {
        let request = OutboundRequest(
            method: method, url: server.rootURL + path,
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
