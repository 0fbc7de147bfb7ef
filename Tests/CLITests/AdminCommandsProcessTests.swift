import Foundation
import LeadJSON
import XCTest

/// `leadrelay offer|route|affiliate|key|employee` as subprocesses on a temporary store, with
/// the repository's integrations: exit 0 done, 1 refused, 2 usage.
final class AdminCommandsProcessTests: XCTestCase {
    var dir: TemporaryDirectory!
    let integrations = LeadRelayProcess.root + "/integrations"

    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    override func tearDown() { dir = nil }

    func leadrelay(_ arguments: [String]) throws -> LeadRelayProcess.Finished {
        try LeadRelayProcess.run(arguments + ["--integrations", integrations], in: dir.path)
    }

    /// Runs a command that must succeed with `--format json`, its output parsed.
    func json(_ arguments: [String]) throws -> JSONValue {
        let run = try leadrelay(arguments + ["--format", "json"])
        XCTAssertEqual(run.status, 0, run.description)
        return try JSONValue.parse(run.stdout)
    }

    static let trackbox = [
        "--param", "base_url=https://platform.network.example", "--param", "username=ops", "--param", "password=pw-SECRET-0123456789",
        "--param", "api_key=key-SECRET-0123456789", "--param", "ai=2", "--param", "gi=3",
    ]

    func testOffersAndRoutesAreStoredWithSecretsWriteOnly() throws {
        XCTAssertEqual(try json(["offer", "create", "--name", "Crypto DE"])["id"], .string("1"))
        let offer = try json(["offer", "create", "--id", "7", "--name", "Crypto AT", "--fall-through", "cap_reached"])
        XCTAssertEqual(offer["fall_through"], .array([.string("cap_reached")]))
        let again = try leadrelay(["offer", "create", "--id", "7", "--name", "Again"])
        XCTAssertEqual(again.status, 1, again.description)
        XCTAssertTrue(again.stderr.contains("offer 7 exists already"), again.description)

        let added = try leadrelay(
            ["route", "add", "--offer", "7", "--integration", "trackbox", "--countries", "de,AT", "--daily-cap", "100", "--format", "json"]
                + Self.trackbox)
        XCTAssertEqual(added.status, 0, added.description)
        XCTAssertFalse(added.stdout.contains("SECRET"), added.stdout)
        let route = try JSONValue.parse(added.stdout)
        XCTAssertEqual(route["params"]?["password"], .string("***"))
        XCTAssertEqual(route["params"]?["api_key"], .string("***"))
        XCTAssertEqual(route["params"]?["ai"], .string("2"))
        XCTAssertEqual(route["countries"], .array([.string("AT"), .string("DE")]))
        XCTAssertEqual(route["daily_cap"], .integer(100))
        let routeID = try XCTUnwrap(route["id"]?.int64Value)

        let listed = try leadrelay(["route", "list", "--offer", "7"])
        XCTAssertEqual(listed.status, 0, listed.description)
        XCTAssertTrue(listed.stdout.contains("password=***"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains("SECRET"), listed.stdout)
        for file in ["leadrelay.sqlite", "leadrelay.sqlite-wal"] {
            let bytes = FileManager.default.contents(atPath: dir.path + "/" + file) ?? Data()
            XCTAssertNil(bytes.range(of: Data("SECRET".utf8)), "\(file) holds a secret in clear")
        }
        var mode = stat()
        XCTAssertEqual(stat(dir.path + "/leadrelay.key", &mode), 0)
        XCTAssertEqual(mode.st_mode & 0o777, 0o600)

        XCTAssertEqual(try json(["route", "disable", String(routeID)])["enabled"], .bool(false))
        let shown = try json(["offer", "show", "7"])
        XCTAssertEqual(shown["routes"]?.arrayValue?.first?["enabled"], .bool(false))
        XCTAssertEqual(shown["routes"]?.arrayValue?.first?["params"]?["password"], .string("***"))
        XCTAssertEqual(try json(["route", "enable", String(routeID)])["enabled"], .bool(true))
        XCTAssertEqual(try leadrelay(["route", "remove", String(routeID)]).status, 0)
        let gone = try leadrelay(["route", "remove", String(routeID)])
        XCTAssertEqual(gone.status, 1, gone.description)
        XCTAssertTrue(gone.stderr.contains("no route \(routeID)"), gone.description)
        XCTAssertEqual(try json(["offer", "list"])["offers"]?.arrayValue?.count, 2)
    }

    func testARouteWhoseParamsDoNotFitTheManifestIsRefusedNamingEach() throws {
        _ = try json(["offer", "create", "--id", "7", "--name", "Crypto"])
        let refused = try leadrelay(
            ["route", "add", "--offer", "7", "--integration", "irev", "--param", "base_url=https://x.example", "--param", "api_tokn=t-1"])
        XCTAssertEqual(refused.status, 1, refused.description)
        XCTAssertTrue(refused.stderr.contains("unknown parameter \"api_tokn\" (did you mean \"api_token\"?)"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("missing required parameter \"api_token\""), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("t-1"), "a value is never echoed: \(refused.stderr)")
        let unknownIntegration = try leadrelay(["route", "add", "--offer", "7", "--integration", "irve"])
        XCTAssertEqual(unknownIntegration.status, 1, unknownIntegration.description)
        XCTAssertTrue(
            unknownIntegration.stderr.contains("unknown integration \"irve\" (did you mean \"irev\"?)"), unknownIntegration.stderr)
        let noOffer = try leadrelay(["route", "add", "--offer", "99", "--integration", "trackbox"] + Self.trackbox)
        XCTAssertEqual(noOffer.status, 1, noOffer.description)
        XCTAssertTrue(noOffer.stderr.contains("no offer 99"), noOffer.stderr)
        let usage = try leadrelay(["route", "add", "--offer", "7", "--integration", "irev", "--param", "base_url"])
        XCTAssertEqual(usage.status, 2, usage.description)
        XCTAssertTrue(usage.stderr.contains("name=value"), usage.stderr)
        XCTAssertEqual(try json(["route", "list", "--offer", "7"])["routes"], .array([]))
    }

    func testAnAffiliateKeyIsShownOnceAndRevoked() throws {
        _ = try json(["offer", "create", "--id", "7", "--name", "Crypto"])
        XCTAssertEqual(try json(["affiliate", "create", "--id", "A1", "--name", "Media Buyer"])["id"], .string("A1"))
        XCTAssertEqual(try json(["affiliate", "grant", "A1", "--offer", "7"])["offers"], .array([.string("7")]))
        let notGranted = try leadrelay(["affiliate", "grant", "A1", "--offer", "99"])
        XCTAssertEqual(notGranted.status, 1, notGranted.description)
        let issued = try leadrelay([
            "key", "create", "--affiliate", "A1", "--permissions", "leads:create,leads:read", "--expires-in", "90d", "--allow",
            "203.0.113.0-203.0.113.255",
        ])
        XCTAssertEqual(issued.status, 0, issued.description)
        let token = try XCTUnwrap(issued.stdout.split(separator: "\n").first { $0.hasPrefix("token: lr_") }).dropFirst(7)
        XCTAssertTrue(issued.stdout.contains("will not be shown again"), issued.stdout)
        let keys = try leadrelay(["key", "list", "--affiliate", "A1", "--format", "json"])
        XCTAssertFalse(keys.stdout.contains(token), "a listed key shows its token")
        let key = try XCTUnwrap(try JSONValue.parse(keys.stdout)["keys"]?.arrayValue?.first)
        XCTAssertEqual(key["state"], .string("active"))
        XCTAssertEqual(key["allowlist"], .array([.string("203.0.113.0-203.0.113.255")]))
        let id = try XCTUnwrap(key["id"]?.stringValue)
        XCTAssertEqual(try leadrelay(["key", "extend", id, "--expires-in", "30d"]).status, 0)
        XCTAssertEqual(try leadrelay(["key", "revoke", id]).status, 0)
        XCTAssertEqual(try json(["key", "list"])["keys"]?.arrayValue?.first?["state"], .string("revoked"))
        let missing = try leadrelay(["key", "revoke", "key_missing"])
        XCTAssertEqual(missing.status, 1, missing.description)
        XCTAssertTrue(missing.stderr.contains("no key key_missing"), missing.stderr)
    }

    func testBadKeyOptionsAreUsageErrors() throws {
        _ = try json(["affiliate", "create", "--id", "A1", "--name", "Media Buyer"])
        let base = ["key", "create", "--affiliate", "A1", "--permissions", "leads:create", "--allow", "127.0.0.1"]
        for (arguments, words) in [
            (
                ["key", "create", "--affiliate", "A1", "--permissions", "leads:write", "--allow", "127.0.0.1"],
                "unknown permission \"leads:write\""
            ),
            (["key", "create", "--affiliate", "A1", "--permissions", "leads:create"], "0.0.0.0-255.255.255.255"),
            (base + ["--expires-in", "9x"], "not a duration"),
            (["key", "create", "--affiliate", "A1", "--permissions", "leads:create", "--allow", "10.0.0.9-10.0.0.1"], "lowest first"),
            (["offer", "list", "--bogus"], "--bogus"),
        ] {
            let run = try leadrelay(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.description)")
            XCTAssertTrue(run.stderr.contains(words), "\(arguments): \(run.stderr)")
        }
        let unknownAffiliate = try leadrelay([
            "key", "create", "--affiliate", "B2", "--permissions", "leads:create", "--allow", "127.0.0.1",
        ])
        XCTAssertEqual(unknownAffiliate.status, 1, unknownAffiliate.description)
    }

    func testTheFirstAdminIsCreatedWithItsTokenShownOnce() throws {
        let created = try json(["employee", "create", "--name", "Ops", "--role", "admin", "--id", "E1", "--allow", "127.0.0.1"])
        XCTAssertEqual(created["role"], .string("admin"))
        let token = try XCTUnwrap(created["token"]?.stringValue)
        XCTAssertTrue(token.hasPrefix("lr_"))
        XCTAssertTrue(created["notice"]?.stringValue?.contains("will not be shown again") ?? false)
        let listed = try leadrelay(["employee", "list"])
        XCTAssertTrue(listed.stdout.contains("employee E1 \"Ops\" (admin)"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains(token))
        let another = try json(["employee", "key", "--employee", "E1", "--allow", "127.0.0.1", "--expires-in", "30d"])
        XCTAssertNotEqual(another["token"], .string(token))
        XCTAssertEqual(another["employee_id"], .string("E1"))
        let employeeKey = try XCTUnwrap(another["id"]?.stringValue)
        XCTAssertTrue(employeeKey.hasPrefix("ekey_"), employeeKey)
        XCTAssertEqual(try leadrelay(["key", "revoke", employeeKey]).status, 0)
        let keys = try json(["employee", "list"])["employees"]?.arrayValue?.first?["keys"]?.arrayValue ?? []
        XCTAssertEqual(keys.compactMap { $0["state"]?.stringValue }.sorted(), ["active", "revoked"])
        let nobody = try leadrelay(["employee", "key", "--employee", "E9", "--allow", "127.0.0.1"])
        XCTAssertEqual(nobody.status, 1, nobody.description)
        XCTAssertTrue(nobody.stderr.contains("no employee E9"), nobody.stderr)
        let badRole = try leadrelay(["employee", "create", "--name", "X", "--role", "boss", "--allow", "127.0.0.1"])
        XCTAssertEqual(badRole.status, 2, badRole.description)
        XCTAssertTrue(badRole.stderr.contains("admin, manager, analyst"), badRole.stderr)
    }
}
