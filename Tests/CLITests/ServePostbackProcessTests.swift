import Foundation
import IntegrationRuntime
import LeadJSON
import LeadRelayService
import LoopbackTesting
import OutboundHTTP
import Synchronization
import XCTest

/// `leadrelay serve` sends the affiliate postbacks its store has queued, through the
/// postbacks' egress settings: a postback queued before the process started (a restart)
/// reaches the affiliate's tracker on loopback and is counted in `/metrics`.
final class ServePostbackProcessTests: XCTestCase {
    /// The query strings a tracker got.
    final class Tracker: Sendable {
        let queries = Mutex<[String]>([])
        var seen: [String] { queries.withLock { $0 } }
    }

    func testServeSendsTheQueuedPostbackThroughThePostbackEgressSettings() async throws {
        let tracker = Tracker()
        let receiver = LoopbackHTTPServer { request in
            tracker.queries.withLock { $0.append(request.query) }
            return LoopbackResponse(status: 200, text: "ok")
        }
        try receiver.start()
        defer { receiver.stop() }
        let folder = try TemporaryDirectory()
        let key = try SecretKey.load(environment: [:], file: folder.path + "/leadrelay.key")
        let store = try SQLiteStore(path: folder.path + "/leadrelay.sqlite", sealer: SecretSealer(key: key))
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        try await store.save(
            Affiliate(
                id: "A1", name: "Media Buyer", offers: ["7"],
                postbackURL: "http://127.0.0.1:\(receiver.port)/pb?click={click_id}&status={status}"))
        let fields: JSONValue = .object(["email": .string("a@example.com"), "click_id": .string("clk-1")])
        guard
            case .inserted(let lead) = try await store.insert(
                NewLead(offerID: "7", affiliateID: "A1", fields: fields, receivedAt: 1_767_225_600))
        else { return XCTFail("not inserted") }
        _ = try await store.claimDue(now: 1_767_225_601, limit: 1, owner: "p1", leaseSeconds: 30)
        try await store.complete(
            AttemptRecord(
                leadID: lead.id, number: 1, integration: "irev", startedAt: 1_767_225_601, endedAt: 1_767_225_601,
                outcome: Outcome(.accepted, externalID: "x1"), report: .object([:])),
            state: .accepted, owner: "p1", now: 1_767_225_601)

        let serve = try ServeProcess(
            in: folder.path,
            environment: [
                "LEADRELAY_HTTP_PORT": "0", "LEADRELAY_INTEGRATIONS_DIRECTORY": LeadRelayProcess.root + "/integrations",
                "LEADRELAY_EGRESS_POSTBACKS_ALLOW": "127.0.0.0/8", "LEADRELAY_EGRESS_POSTBACKS_PORTS": "443,\(receiver.port)",
            ])
        for _ in 0..<200 where tracker.seen.isEmpty { try await Task.sleep(nanoseconds: 50_000_000) }
        XCTAssertEqual(tracker.seen, ["click=clk-1&status=accepted"], serve.stderr)
        let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        defer { client.shutdown() }
        let metrics = await client.perform(OutboundRequest(method: "GET", url: "http://127.0.0.1:\(serve.port)/metrics", timeout: 10))
        let text = String(decoding: metrics.body, as: UTF8.self)
        XCTAssertTrue(text.contains(#"leadrelay_affiliate_postbacks_total{event="accepted",result="sent"} 1"#), text)
        XCTAssertEqual(serve.stop(), 0, serve.stderr)
        let calls = try await store.postbackCalls(affiliateID: "A1", limit: 5)
        XCTAssertEqual(calls.map(\.result), [.sent])
    }
}
