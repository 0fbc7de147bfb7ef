import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import LoopbackTesting
import Synchronization
import XCTest

@testable import leadrelay

/// `leadrelay run` in live mode, against an HTTP server on loopback started by the test.
final class RunCommandLiveTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "leadrelay-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ json: String) throws -> String {
        let path = dir + "/" + name
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testLiveRunSendsTheRealRequestAndPrintsItMasked() async throws {
        let seen = Mutex<[LoopbackRequest]>([])
        let server = LoopbackHTTPServer { request in
            seen.withLock { $0.append(request) }
            return LoopbackResponse(
                status: 200, headers: [("Content-Type", "application/json")],
                text: #"{"lead_uuid":"u-42","auto_login_url":"https://brand.example/go/u-42"}"#)
        }
        try server.start()
        defer { server.stop() }
        let lead = try write(
            "lead.json",
            #"{"id":"L-7","first_name":"Anna","last_name":"Schmidt","email":"anna@example.com","phone":"+49 151 1234567","country":"DE","ip":"203.0.113.7"}"#
        )
        let params = try write(
            "params.json", #"{"base_url":"\#(server.url(""))","api_token":"tok-SECRET-9","affiliate_id":"2","offer_id":"1"}"#)
        let output = try await RunInvocation(
            integration: "irev", leadFile: lead, paramsFile: params, action: "push", check: nil,
            dryRun: false, integrations: Self.root + "/integrations"
        ).execute()

        // The wire request carried the real token; the printed one is masked.
        let requests = seen.withLock { $0 }
        XCTAssertEqual(requests.count, 1)
        XCTAssertEqual(requests.first?.method, "POST")
        XCTAssertEqual(requests.first?.path, "/api/affiliates/v2/leads")
        XCTAssertEqual(requests.first?.header("authorization"), "tok-SECRET-9")
        let sent = try JSONValue.parse(requests.first?.body ?? [])
        XCTAssertEqual(sent["email"]?.stringValue, "anna@example.com")
        XCTAssertEqual(sent["ip"]?.stringValue, "203.0.113.7")

        let printed = output.prettyEncoded()
        XCTAssertFalse(printed.contains("tok-SECRET-9"), printed)
        XCTAssertEqual(output["outcome"]?.stringValue, "accepted", printed)
        XCTAssertEqual(output["external_id"]?.stringValue, "u-42", printed)
        XCTAssertEqual(output["redirect_url"]?.stringValue, "https://brand.example/go/u-42", printed)
        let exchange = output["exchanges"]?.arrayValue?.first
        XCTAssertEqual(exchange?["request"]?["headers"]?["Authorization"]?.stringValue, "***", printed)
        XCTAssertEqual(exchange?["response"]?["status"]?.int64Value, 200, printed)
        XCTAssertEqual(output["dry_run"]?.boolValue, false)
    }

    func testLiveRunReportsAConnectFailureAsTheScriptSeesIt() async throws {
        // A port nothing listens on: bind, read it back, close.
        let server = LoopbackHTTPServer { _ in LoopbackResponse(status: 200) }
        try server.start()
        let url = server.url("")
        server.stop()
        let lead = try write(
            "lead.json",
            #"{"id":"L-8","email":"a@example.com","first_name":"A","last_name":"B","phone":"+49 151 1234567","country":"DE","ip":"203.0.113.7"}"#
        )
        let params = try write("params.json", #"{"base_url":"\#(url)","api_token":"irev-token-x","affiliate_id":"2","offer_id":"1"}"#)
        let output = try await RunInvocation(
            integration: "irev", leadFile: lead, paramsFile: params, action: "push", check: nil,
            dryRun: false, integrations: Self.root + "/integrations"
        ).execute()
        let exchange = output["exchanges"]?.arrayValue?.first
        XCTAssertEqual(exchange?["response"]?["error"]?.stringValue, "connect", output.prettyEncoded())
        XCTAssertEqual(output["outcome"]?.stringValue, "retry", output.prettyEncoded())
    }

    func testBrokenParamsFileIsAClearLoadError() async throws {
        let lead = try write("lead.json", #"{"id":"L-9"}"#)
        let params = try write("params.json", "{\"base_url\": \n  oops}")
        do {
            _ = try await RunInvocation(
                integration: "irev", leadFile: lead, paramsFile: params, action: "push",
                check: nil, dryRun: true, integrations: Self.root + "/integrations"
            ).execute()
            XCTFail("a malformed params file must fail")
        } catch {
            XCTAssertEqual(error.file, params)
            XCTAssertEqual(error.line, 2, "\(error)")
        }
    }
}
