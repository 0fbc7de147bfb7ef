import Foundation
import IntegrationRuntime
import LeadJSON
import LeadRelayService
import NetworkEmulators
import OutboundHTTP
import Synchronization
import XCTest

/// Issue 12, point 6: 5,000 leads posted while `leadrelay serve` is killed with SIGKILL
/// twice and restarted on the same store. No acknowledged lead is lost; each reaches the
/// sandbox's Trackbox exactly once, except leads in flight at a kill, which may arrive twice
/// (Trackbox then answers the second as a duplicate) and are flagged `sentAgain`.
final class ServeCrashTests: XCTestCase {
    static let total = 5000

    func testLeadsSurviveTwoKillsAndReachTheNetworkOnce() async throws {
        let folder = try TemporaryDirectory()
        let emulators = try await EmulatorServer.start(EmulatorServer.Configuration(latency: 0.02, postbackInterval: 0))
        let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        defer { client.shutdown() }
        let (store, token) = try await TrackboxOffer.seed(in: folder.path, emulators: emulators, postbackToken: "t-crash")
        let environment = [
            "LEADRELAY_HTTP_PORT": "0", "LEADRELAY_INTEGRATIONS_DIRECTORY": LeadRelayProcess.root + "/integrations",
            "LEADRELAY_EGRESS_SCRIPTS_ALLOW": "127.0.0.0/8", "LEADRELAY_DISPATCH_ATTEMPT_TIMEOUT_SECONDS": "2",
            "LEADRELAY_DISPATCH_LEASE_SECONDS": "3", "LEADRELAY_INTEGRATIONS_RELOAD_SECONDS": "0", "LEADRELAY_LOG_LEVEL": "error",
        ]
        var serving = try ServeProcess(in: folder.path, environment: environment)
        let shared = Shared(port: serving.port)

        // Posters: each lead is posted until a 202, with its own Idempotency-Key, so a post
        // the dead process had stored but not answered is answered with the same lead.
        let posters = Task { [client, token, shared] in await ServeCrashTests.postAll(client: client, token: token, shared: shared) }
        // Two kills, each followed by a restart on the same store and key.
        var kills: [Int] = []
        for threshold in [1500, 3500] {
            while shared.acknowledged.withLock({ $0.count }) < threshold { try await Task.sleep(nanoseconds: 10_000_000) }
            XCTAssertEqual(serving.stop(SIGKILL), SIGKILL, "killed")
            kills.append(shared.acknowledged.withLock { $0.count })
            serving = try ServeProcess(in: folder.path, environment: environment)
            shared.port.withLock { $0 = serving.port }
        }
        await posters.value
        let ids = shared.acknowledged.withLock { Array($0.values) }
        XCTAssertEqual(Set(ids).count, Self.total, "every post acknowledged with a lead of its own")

        // Every acknowledged lead reaches a final state (the leases of the killed processes run out).
        var leads: [StoredLead] = []
        for _ in 0..<600 {
            leads = []
            for id in ids { if let lead = try await store.lead(id: id) { leads.append(lead) } }
            if leads.count == Self.total, leads.allSatisfy(\.state.isFinal) { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        XCTAssertEqual(serving.stop(), 0, serving.stderr)
        XCTAssertEqual(leads.count, Self.total, "no acknowledged lead is lost")
        let unfinished = leads.filter { !$0.state.isFinal }
        XCTAssertEqual(unfinished.count, 0, "\(unfinished.prefix(3).map(\.state))")
        XCTAssertEqual(emulators.store.leads(.trackbox).count, Self.total, "each lead accepted at the sandbox once")
        let accepted = leads.filter { $0.state == .accepted }
        let twice = leads.filter { $0.state == .rejected }
        let flagged = leads.filter(\.sentAgain)
        XCTAssertTrue(twice.allSatisfy(\.sentAgain), "a lead that reached the network twice is flagged")
        XCTAssertTrue(twice.allSatisfy { $0.outcome?.reason == .duplicate }, "\(twice.prefix(3).map { $0.outcome?.message ?? "" })")
        XCTAssertEqual(leads.filter { $0.state == .error }.count, 0)
        print(
            "serve crash test: \(Self.total) acknowledged, kills at \(kills) acknowledged; final: \(accepted.count) accepted, "
                + "\(twice.count) rejected as duplicates (sent again after a kill), \(flagged.count) flagged sent_again; "
                + "the sandbox accepted \(emulators.store.leads(.trackbox).count)")
        await emulators.stop()
    }

    /// Posts every lead until a 202, 16 at a time, each with its own Idempotency-Key, so a
    /// post the dead process had stored but not answered is answered with the same lead.
    static func postAll(client: LiveTransport, token: String, shared: Shared) async {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask { await post(from: worker, step: 16, client: client, token: token, shared: shared) }
            }
        }
    }

    static func post(from first: Int, step: Int, client: LiveTransport, token: String, shared: Shared) async {
        for n in stride(from: first, to: total, by: step) {
            let body =
                #"{"offer_id": "7", "first_name": "Anna", "last_name": "Crash", "email": "crash\#(n)@example.com", "#
                + #""phone": "+4915100\#(100_000 + n)", "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass"}"#
            while true {
                let answer = await client.perform(
                    OutboundRequest(
                        method: "POST", url: "http://127.0.0.1:\(shared.port.withLock { $0 })/api/v1/leads",
                        headers: [
                            ("content-type", "application/json"), ("authorization", "Bearer \(token)"), ("idempotency-key", "lead-\(n)"),
                        ], body: Array(body.utf8), timeout: 10))
                if answer.status == 202, let id = try? JSONValue.parse(answer.body)["id"]?.stringValue {
                    shared.acknowledged.withLock { $0[n] = id }
                    break
                }
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
        }
    }

    /// What the posters and the test share: the port of the process serving now, and the
    /// lead id acknowledged for each post.
    final class Shared: Sendable {
        let port: Mutex<Int>
        let acknowledged = Mutex<[Int: String]>([:])
        init(port: Int) { self.port = Mutex(port) }
    }
}
