import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

/// Issue 13, point 8: every bundled integration without an emulator of its own runs end to
/// end, live (`leadrelay run`, real HTTP on loopback), against `leadrelay mock` serving its
/// own fixtures, for an accepted case, a rejected one and a retried one when it has one.
/// The integrations and cases come from integrations/ and Tests/ScriptFixtures/: a script
/// added there is covered without changing this file.
final class MockEndToEndProcessTests: XCTestCase {
    /// The integrations with an emulator (Sources/NetworkEmulators): their end-to-end tests
    /// run against it (Tests/EmulatorTests), not against the mock.
    static let emulated: Set = ["irev", "trackbox", "clixnow", "altercpa"]

    var dir: TemporaryDirectory!
    let root = LeadRelayProcess.root
    var fixtures: String { root + "/Tests/ScriptFixtures" }

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    func testEveryIntegrationWithoutAnEmulatorRunsLiveAgainstTheMockOfItsFixtures() throws {
        let catalog = try IntegrationCatalog.scan(root + "/integrations")
        let names = catalog.scripts.keys.filter { !Self.emulated.contains($0) }.sorted()
        XCTAssertFalse(names.isEmpty, "no integration without an emulator in \(root)/integrations")
        for name in names {
            let picked = Self.pick(try MockEndToEndCase.servable(integration: name, fixtures: fixtures))
            let outcomes = Set(picked.map(\.outcome))
            guard outcomes.isSuperset(of: ["accepted", "rejected"]) else {
                XCTFail("\(name): no fixture the mock can replay ends accepted and one rejected (servable: \(picked.map(\.name)))")
                continue
            }
            let params = try catalog.instance(name).manifest.params
            for found in picked { try runLive(found, declared: params) }
        }
    }

    func testACaseTheMockCannotReplayIsLeftOut() throws {
        let zoho = try MockEndToEndCase.servable(integration: "zoho_crm", fixtures: fixtures).map(\.name)
        // The same token and insert requests twice with different answers: a mock has no memory.
        XCTAssertFalse(zoho.contains("push-expired-token-refreshed"), "\(zoho)")
        // A replayed transport failure has no HTTP answer to serve.
        XCTAssertFalse(zoho.contains("push-timeout"), "\(zoho)")
        // No request at all.
        XCTAssertFalse(zoho.contains("push-no-last-name"), "\(zoho)")
        XCTAssertTrue(zoho.contains("push-created"), "\(zoho)")
    }

    /// The first accepted case (a push when there is one), the first rejected and the first retried.
    static func pick(_ cases: [MockEndToEndCase]) -> [MockEndToEndCase] {
        let accepted = cases.first { $0.outcome == "accepted" && $0.action == "push" } ?? cases.first { $0.outcome == "accepted" }
        return [accepted, cases.first { $0.outcome == "rejected" }, cases.first { $0.outcome == "retry" }].compactMap { $0 }
    }

    /// Serves `found` (its origins rewritten to the mock's) and runs its lead live against
    /// it with `--expect` its outcome; checks every recorded exchange was asked for.
    func runLive(_ found: MockEndToEndCase, declared: [ParamSpec]) throws {
        let label = "\(found.integration)/\(found.name)"
        for attempt in 1...3 {
            // The port goes into the fixture (a token answer's instance URL names it), so
            // it is picked first; another process may take it meanwhile: try again.
            let port = try FreeLoopbackPort.pick()
            let mock = "http://127.0.0.1:\(port)"
            let folder = "fixtures-\(port)"
            try dir.write("\(folder)/\(found.integration)/\(found.name).json", found.rewrittenText(mock: mock))
            let server: MockProcess
            do {
                server = try MockProcess(
                    in: dir.path,
                    arguments: [
                        found.integration, "--integrations", root + "/integrations", "--fixtures", dir.path + "/" + folder, "--case",
                        found.name,
                    ], port: port, limit: 30)
            } catch let failed as MockProcess.DidNotListen where attempt < 3 {
                print("\(label): the mock did not listen on \(port), again: \(failed.stderr)")
                continue
            }
            defer { server.stop() }
            let overrides = try writeInputs(found, mock: mock, declared: declared)
            let done = try LeadRelayProcess.run(
                [
                    "run", found.integration, "--lead", "lead.json", "--params", "params.json", "--integrations", root + "/integrations",
                    "--action", found.action, "--expect", found.expectation, "--credentials", "\(folder)/credentials.json",
                ] + overrides.flatMap { ["--param", $0] }, in: dir.path, limit: 60)
            XCTAssertEqual(done.status, 0, "\(label) --expect \(found.expectation)\n\(done)\n--- mock\n\(server.stdout)")
            if let id = found.externalID {
                let report = try JSONValue.parse(done.stdout).objectValue
                XCTAssertEqual(report?["external_id"]?.stringValue, id, "\(label)\n\(done.stdout)")
            }
            for index in 0..<found.exchangeCount {
                XCTAssertTrue(
                    server.stdout.contains("(\(found.name) exchanges[\(index)])"),
                    "\(label): exchanges[\(index)] not asked for\n\(server.stdout)")
            }
            XCTAssertFalse(server.stdout.contains("no recorded exchange matches"), "\(label)\n\(server.stdout)")
            print("\(label): \(found.action) live against the mock, --expect \(found.expectation): exit \(done.status)")
            return
        }
    }

    /// Writes lead.json and params.json of the rewritten fixture; returns the `--param`
    /// overrides that point the script at the mock: base_url at its root (the mock serves
    /// a fixture's URLs relative to base_url), a declared default naming one of the
    /// fixture's origins at the same path on the mock.
    func writeInputs(_ found: MockEndToEndCase, mock: String, declared: [ParamSpec]) throws -> [String] {
        let rewritten = try XCTUnwrap(try JSONValue.parse(found.rewrittenText(mock: mock)).objectValue)
        let params = rewritten["params"]?.objectValue ?? [:]
        try dir.write("lead.json", (rewritten["lead"] ?? .object([:])).encoded())
        try dir.write("params.json", JSONValue.object(params).encoded())
        var overrides: [String] = []
        if params["base_url"] != nil { overrides.append("base_url=\(mock)") }
        for spec in declared where params[spec.name] == nil {
            guard let value = spec.defaultValue?.stringValue else { continue }
            let moved = found.rewriting(value, to: mock)
            if moved != value { overrides.append("\(spec.name)=\(moved)") }
        }
        return overrides
    }
}
