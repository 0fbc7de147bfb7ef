import Foundation
import LeadJSON
import LeadRelayService
import XCTest

/// `leadrelay route set` as a subprocess: a route changed in place, checked as on creation.
final class RouteSetCommandProcessTests: XCTestCase {
    var dir: TemporaryDirectory!
    let integrations = LeadRelayProcess.root + "/integrations"

    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    override func tearDown() { dir = nil }

    func leadrelay(_ arguments: [String]) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(arguments + ["--integrations", integrations], in: dir.path)
    }

    func json(_ arguments: [String]) throws -> JSONValue {
        let run = try leadrelay(arguments + ["--format", "json"])
        XCTAssertEqual(run.status, 0, run.description)
        return try JSONValue.parse(run.stdout)
    }

    /// The store the commands wrote, to read the secrets back.
    func store() throws -> SQLiteStore {
        let key = try SecretKey.load(environment: [:], file: dir.path + "/leadrelay.key")
        return try SQLiteStore(path: dir.path + "/leadrelay.sqlite", sealer: SecretSealer(key: key))
    }

    func testARouteIsChangedInPlaceItsSecretsKeptOrReplacedNeverShown() async throws {
        _ = try json(["offer", "create", "--id", "7", "--name", "Crypto"])
        let added = try json(
            ["route", "add", "--offer", "7", "--integration", "trackbox", "--daily-cap", "100"] + AdminCommandsProcessTests.trackbox)
        let id = try XCTUnwrap(added["id"]?.int64Value)
        let changed = try json([
            "route", "set", String(id), "--param", "base_url=https://other.example", "--param", "username=ops", "--param", "password=***",
            "--param", "ai=5", "--param", "gi=3", "--priority", "2", "--no-daily-cap", "--countries", "at",
            "--hours", "Mon-Fri 09:00-18:00 Europe/Berlin", "--checks", "processing,range", "--status-every", "5m",
        ])
        XCTAssertEqual(changed["id"], .integer(id))
        XCTAssertEqual(changed["postback_token"], added["postback_token"], "the postback address stays")
        XCTAssertEqual(changed["params"]?["password"], .string("***"))
        XCTAssertEqual(changed["params"]?["api_key"], .string("***"), "a secret left out is kept")
        XCTAssertEqual(changed["params"]?["ai"], .string("5"))
        XCTAssertEqual(changed["priority"], .integer(2))
        XCTAssertEqual(changed["daily_cap"], .null)
        XCTAssertEqual(changed["countries"], .array(["AT"]))
        XCTAssertEqual(changed["hours"], .string("Mon-Fri 09:00-18:00 Europe/Berlin"))
        XCTAssertEqual(changed["status"]?["checks"], .array(["processing", "range"]))
        XCTAssertEqual(changed["status"]?["interval"], .integer(300))
        let kept = try await store().route(id: id)
        XCTAssertEqual(kept?.params["password"], .string("pw-SECRET-0123456789"))
        XCTAssertEqual(kept?.params["api_key"], .string("key-SECRET-0123456789"))

        let secret = try leadrelay([
            "route", "set", String(id), "--param", "base_url=https://other.example", "--param", "username=ops", "--param", "ai=5",
            "--param", "gi=3", "--param", "api_key=key-NEWSECRET-0123456789",
        ])
        XCTAssertEqual(secret.status, 0, secret.description)
        XCTAssertTrue(secret.stdout.contains("api_key=***"), secret.stdout)
        XCTAssertFalse(secret.stdout.contains("NEWSECRET"), secret.stdout)
        for file in ["leadrelay.sqlite", "leadrelay.sqlite-wal"] {
            let bytes = FileManager.default.contents(atPath: dir.path + "/" + file) ?? Data()
            XCTAssertNil(bytes.range(of: Data("NEWSECRET".utf8)), "\(file) holds a secret in clear")
        }
        let replaced = try await store().route(id: id)
        XCTAssertEqual(replaced?.params["api_key"], .string("key-NEWSECRET-0123456789"))
        XCTAssertEqual(replaced?.params["password"], .string("pw-SECRET-0123456789"))
        XCTAssertEqual(replaced?.countries, ["AT"], "what is not given stays")
        XCTAssertEqual(try json(["route", "set", String(id), "--priority", "4", "--no-hours"])["hours"], .null)
    }

    func testARouteChangeThatDoesNotFitIsRefused() throws {
        _ = try json(["offer", "create", "--id", "7", "--name", "Crypto"])
        let id = try XCTUnwrap(
            try json(["route", "add", "--offer", "7", "--integration", "trackbox"] + AdminCommandsProcessTests.trackbox)["id"]?.int64Value)
        let unknown = try leadrelay(["route", "set", String(id), "--param", "base_url=https://x.example", "--param", "api_tokn=1"])
        XCTAssertEqual(unknown.status, 1, unknown.description)
        XCTAssertTrue(unknown.stderr.contains("unknown parameter \"api_tokn\""), unknown.description)
        XCTAssertTrue(unknown.stderr.contains("missing required parameter \"username\""), unknown.description)
        let priority = try leadrelay(["route", "set", String(id), "--priority", "high"])
        XCTAssertEqual(priority.status, 2, "priority not a number: \(priority.description)")
        let both = try leadrelay(["route", "set", String(id), "--daily-cap", "5", "--no-daily-cap"])
        XCTAssertEqual(both.status, 2, both.description)
        let check = try leadrelay(["route", "set", String(id), "--checks", "procesing"])
        XCTAssertEqual(check.status, 2, check.description)
        XCTAssertTrue(check.stderr.contains("did you mean processing"), check.description)
        let none = try leadrelay(["route", "set", String(id)])
        XCTAssertEqual(none.status, 1, none.description)
        XCTAssertTrue(none.stderr.contains("give at least one of"), none.description)
        let missing = try leadrelay(["route", "set", "999", "--priority", "1"])
        XCTAssertEqual(missing.status, 1, missing.description)
        XCTAssertTrue(missing.stderr.contains("no route 999"), missing.description)
        let listed = try json(["route", "list", "--offer", "7"])
        XCTAssertEqual(listed["routes"]?.arrayValue?.first?["priority"], .integer(0), "nothing refused was stored")
    }
}
