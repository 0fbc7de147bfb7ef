import Foundation
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import XCTest

@testable import leadrelay

/// `leadrelay run --egress`: local networks allowed by default (partners under test are
/// local), the service's public-only policy on request.
final class RunCommandEgressTests: XCTestCase {
    private let files = ["irev", "--lead", "lead.json", "--params", "params.json"]

    func testTheOptionSetsThePolicy() throws {
        XCTAssertEqual(try RunCommand.parse(files).transportConfiguration.egressPolicy, .allowingLocalNetworks)
        XCTAssertEqual(try RunCommand.parse(files + ["--egress", "public"]).transportConfiguration.egressPolicy, .publicOnly)
        XCTAssertEqual(
            try RunCommand.parse(files + ["--egress", "local", "--http-engine", "curl"]).transportConfiguration,
            LiveTransport.Configuration(engine: .curl, egressPolicy: .allowingLocalNetworks))
        XCTAssertThrowsError(try RunCommand.parse(files + ["--egress", "everything"]))
    }

    /// With the service's policy, a partner on loopback is refused: the run's outcome is
    /// `error` naming the refusal, and nothing reaches the partner.
    func testPublicEgressRefusesAPartnerOnLoopback() async throws {
        let server = LoopbackHTTPServer { _ in LoopbackResponse(status: 200, text: "{}") }
        try server.start()
        defer { server.stop() }
        let dir = NSTemporaryDirectory() + "leadrelay-egress-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lead = dir + "/lead.json"
        let params = dir + "/params.json"
        try
            #"{"id":"L-1","email":"a@example.com","first_name":"A","last_name":"B","phone":"+49 151 1234567","country":"DE","ip":"203.0.113.7"}"#
            .write(toFile: lead, atomically: true, encoding: .utf8)
        try #"{"base_url":"\#(server.url(""))","api_token":"irev-token-x","affiliate_id":"2","offer_id":"1"}"#
            .write(toFile: params, atomically: true, encoding: .utf8)
        let command = try RunCommand.parse([
            "irev", "--lead", lead, "--params", params, "--egress", "public",
            "--integrations", RunCommandLiveTests.root + "/integrations",
        ])
        let transport = LiveTransport(configuration: command.transportConfiguration)
        defer { transport.shutdown() }
        let output = try await RunInvocation(
            integration: command.integration, leadFile: lead, paramsFile: params, action: command.action, check: nil,
            dryRun: false, integrations: command.integrations, transport: transport
        ).execute()
        XCTAssertEqual(output["outcome"]?.stringValue, "error", output.prettyEncoded())
        XCTAssertTrue(
            output["message"]?.stringValue?.contains("egress refused: 127.0.0.1 is loopback") ?? false,
            output.prettyEncoded())
        XCTAssertEqual(server.requestsServed, 0)
    }
}
