import Foundation
import IntegrationRuntime
import LeadJSON
import LeadRelayService
import NetworkEmulators
import OutboundHTTP
import XCTest

/// `leadrelay serve` as a process: configured by environment and file, serving its API,
/// reloading scripts, and stopping gracefully on SIGTERM with the attempt in flight written
/// back.
final class ServeCommandProcessTests: XCTestCase {
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))

    override func tearDown() { client.shutdown() }

    private func environment(_ folder: TemporaryDirectory, integrations: String? = nil) -> [String: String] {
        [
            "LEADRELAY_HTTP_PORT": "0", "LEADRELAY_INTEGRATIONS_DIRECTORY": integrations ?? LeadRelayProcess.root + "/integrations",
            "LEADRELAY_EGRESS_SCRIPTS_ALLOW": "127.0.0.0/8", "LEADRELAY_INTEGRATIONS_RELOAD_SECONDS": "0.2",
        ]
    }

    private func get(_ serve: ServeProcess, _ path: String) async -> OutboundResponse {
        await client.perform(
            OutboundRequest(method: "GET", url: "http://127.0.0.1:\(serve.port)\(path)", headers: [], body: [], timeout: 10))
    }

    func testItServesWithItsFilesInTheWorkingDirectoryAndStopsWithExitZero() async throws {
        let folder = try TemporaryDirectory()
        let serve = try ServeProcess(in: folder.path, environment: environment(folder))
        let health = await get(serve, "/health")
        XCTAssertEqual(health.status, 200, String(decoding: health.body, as: UTF8.self))
        let metrics = String(decoding: await get(serve, "/metrics").body, as: UTF8.self)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: LeadRelayProcess.root + "/integrations")
            .filter { $0.hasSuffix(".lua") }.count
        XCTAssertGreaterThan(shipped, 0)
        XCTAssertTrue(metrics.contains("leadrelay_integrations_loaded \(shipped)"), metrics)
        var info = stat()
        XCTAssertEqual(stat(folder.path + "/leadrelay.key", &info), 0, "the key file is created in the working directory")
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path + "/leadrelay.sqlite"))
        XCTAssertEqual(serve.stop(), 0, serve.stderr)
        XCTAssertTrue(serve.stderr.contains("stopped"), serve.stderr)
    }

    func testBadConfigurationExitsTwoNamingTheKey() throws {
        let folder = try TemporaryDirectory()
        var env = environment(folder)
        env["LEADRELAY_HTTP_PORT"] = "eighty"
        XCTAssertThrowsError(try ServeProcess(in: folder.path, environment: env, limit: 30)) { error in
            XCTAssertTrue(
                "\(error)".contains("configuration http.port (or LEADRELAY_HTTP_PORT): \"eighty\" is not a port number"), "\(error)")
        }
        let file = try folder.write("leadrelay.json", #"{"http": {"prot": 9000}}"#)
        let typo = try LeadRelayProcess.run(["serve", "--config", file], in: folder.path, limit: 30)
        XCTAssertEqual(typo.status, 2, typo.description)
        XCTAssertTrue(typo.stderr.contains(#"unknown key "http.prot"; did you mean "http.port"?"#), typo.description)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder.path + "/leadrelay.sqlite"), "nothing is created on a bad configuration")
    }

    func testAMissingIntegrationsFolderExitsOneSayingWhichKeySetsIt() throws {
        let folder = try TemporaryDirectory()
        XCTAssertThrowsError(try ServeProcess(in: folder.path, environment: environment(folder, integrations: folder.path + "/nowhere"))) {
            XCTAssertTrue("\($0)".contains("integrations folder \(folder.path)/nowhere"), "\($0)")
            XCTAssertTrue("\($0)".contains("LEADRELAY_INTEGRATIONS_DIRECTORY"), "\($0)")
        }
    }

    func testANewScriptIsLoadedWhileServing() async throws {
        let folder = try TemporaryDirectory()
        let scripts = folder.path + "/integrations"
        try FileManager.default.createDirectory(atPath: scripts, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: LeadRelayProcess.root + "/integrations/lib", toPath: scripts + "/lib")
        try FileManager.default.copyItem(atPath: LeadRelayProcess.root + "/integrations/irev.lua", toPath: scripts + "/irev.lua")
        // A lead irev failed, held: the reload of irev.lua offers it for redelivery.
        let key = try SecretKey.load(environment: [:], file: folder.path + "/leadrelay.key")
        let store = try SQLiteStore(path: folder.path + "/leadrelay.sqlite", sealer: SecretSealer(key: key))
        guard case .inserted(let held) = try await store.insert(NewLead(offerID: "7", fields: .object([:]), receivedAt: 1_767_225_600))
        else { return XCTFail("not inserted") }
        _ = try await store.claimDue(now: 1_767_225_601, limit: 1, owner: "p1", leaseSeconds: 30)
        try await store.complete(
            AttemptRecord(
                leadID: held.id, number: 1, integration: "irev", startedAt: 1_767_225_601, endedAt: 1_767_225_601,
                outcome: .error("irev.lua:1: broken"), report: .object([:])),
            state: .error, owner: "p1", now: 1_767_225_601)
        let serve = try ServeProcess(in: folder.path, environment: environment(folder, integrations: scripts))
        let before = String(decoding: await get(serve, "/metrics").body, as: UTF8.self)
        XCTAssertTrue(before.contains("leadrelay_integrations_loaded 1"), before)
        try FileManager.default.copyItem(atPath: LeadRelayProcess.root + "/integrations/trackbox.lua", toPath: scripts + "/trackbox.lua")
        var after = ""
        for _ in 0..<100 where !after.contains("leadrelay_integrations_loaded 2") {
            try await Task.sleep(nanoseconds: 50_000_000)
            after = String(decoding: await get(serve, "/metrics").body, as: UTF8.self)
        }
        XCTAssertTrue(after.contains("leadrelay_integrations_loaded 2"), after)
        let fixed = try String(contentsOfFile: scripts + "/irev.lua", encoding: .utf8) + "\n-- fixed\n"
        try fixed.write(toFile: scripts + "/irev.lua", atomically: true, encoding: .utf8)
        for _ in 0..<100 where !serve.stderr.contains("can be redelivered") { try await Task.sleep(nanoseconds: 50_000_000) }
        XCTAssertEqual(serve.stop(), 0, serve.stderr)
        XCTAssertTrue(serve.stderr.contains("integration=trackbox"), serve.stderr)
        XCTAssertTrue(serve.stderr.contains("integration reloaded"), serve.stderr)
        XCTAssertTrue(serve.stderr.contains("command=leadrelay redeliver --integration irev"), serve.stderr)
        XCTAssertTrue(serve.stderr.contains("held=1"), serve.stderr)
    }
}

/// SIGTERM while an attempt is under way: the process stops taking leads, lets the attempt
/// end, writes it back and exits 0; the lead reached the network once and is accepted.
final class ServeGracefulStopTests: XCTestCase {
    func testAStopWaitsForTheAttemptInFlightAndWritesItBack() async throws {
        let folder = try TemporaryDirectory()
        let emulators = try await EmulatorServer.start(EmulatorServer.Configuration(latency: 1.5, postbackInterval: 0))
        let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        defer { client.shutdown() }
        let (store, token) = try await TrackboxOffer.seed(in: folder.path, emulators: emulators, postbackToken: "t-1")
        let serve = try ServeProcess(
            in: folder.path,
            environment: [
                "LEADRELAY_HTTP_PORT": "0", "LEADRELAY_INTEGRATIONS_DIRECTORY": LeadRelayProcess.root + "/integrations",
                "LEADRELAY_EGRESS_SCRIPTS_ALLOW": "127.0.0.0/8",
            ])
        let lead =
            #"{"offer_id": "7", "first_name": "Anna", "last_name": "Schmidt", "email": "anna@example.com", "phone": "+4915112341000", "country": "DE", "ip": "203.0.113.7", "password": "Xy7!pass"}"#
        let posted = await client.perform(
            OutboundRequest(
                method: "POST", url: "http://127.0.0.1:\(serve.port)/api/v1/leads",
                headers: [("content-type", "application/json"), ("authorization", "Bearer \(token)")], body: Array(lead.utf8), timeout: 10))
        XCTAssertEqual(posted.status, 202, String(decoding: posted.body, as: UTF8.self))
        let id = try XCTUnwrap(try JSONValue.parse(posted.body)["id"]?.stringValue)
        for _ in 0..<200 {
            if case .sending = try await store.lead(id: id)?.state { break }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        guard case .sending = try await store.lead(id: id)?.state else { return XCTFail("the lead never went out") }
        XCTAssertEqual(serve.stop(), 0, serve.stderr)
        let stored = try await store.lead(id: id)
        XCTAssertEqual(stored?.state, .accepted, serve.stderr)
        XCTAssertEqual(emulators.store.leads(.trackbox).count, 1)
        let attempts = try await store.attempts(leadID: id)
        XCTAssertEqual(attempts.count, 1)
        XCTAssertTrue(serve.stderr.contains("stopped in_flight=0") || serve.stderr.contains("in_flight=0"), serve.stderr)
        await emulators.stop()
    }
}
