import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// The admin API on a live server on loopback: employee keys and roles, offers, routes
/// checked against the bundled scripts' manifests, affiliates and their keys.
final class AdminAPITests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var server: LeadRelayServer!
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var tokens: [EmployeeRole: String] = [:]
    var affiliateToken = ""

    override func setUp() async throws {
        temporary = try TemporaryDirectory("admin")
        store = try temporary.sealedStore()
        let loopback = try XCTUnwrap(IPRange(from: "127.0.0.1"))
        let future = Date().timeIntervalSince1970 + 3600
        for role in EmployeeRole.allCases {
            try await store.save(Employee(id: "E-\(role)", name: "Staff", role: role))
            tokens[role] = try await store.issueEmployeeKey(employeeID: "E-\(role)", allowlist: [loopback], expiresAt: future).1.text
        }
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        affiliateToken = try await store.issueKey(
            affiliateID: "A1", permissions: Set(KeyPermission.allCases), allowlist: [loopback], expiresAt: future
        ).1.text
        let manifests = try Dictionary(uniqueKeysWithValues: ["irev", "trackbox"].map { ($0, try BundledManifests.manifest($0)) })
        var quiet = Logger(label: "admin-test")
        quiet.logLevel = .critical
        server = try await LeadRelayServer.start(
            .init(host: "127.0.0.1", port: 0), store: store, dispatcher: nil,
            routes: RouteSetup(names: { manifests.keys.sorted() }, manifest: { manifests[$0] }), logger: quiet)
    }

    override func tearDown() async throws {
        await server.stop()
        client.shutdown()
        temporary.remove()
    }

    func send(_ method: String, _ path: String, _ body: String = "", token: String?) async -> (status: Int, json: JSONValue?) {
        var headers: [(name: String, value: String)] = [("content-type", "application/json")]
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        let response = await client.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)", headers: headers, body: Array(body.utf8), timeout: 10))
        return (response.status, try? JSONValue.parse(response.body))
    }

    func testHeldLeadsAreRedeliveredByAManagerNotAnAnalyst() async throws {
        guard case .inserted(let lead) = try await store.insert(NewLead(offerID: "7", fields: .object([:]), receivedAt: 1_767_225_600))
        else { return XCTFail("not inserted") }
        _ = try await store.claimDue(now: 1_767_225_601, limit: 1, owner: "p1", leaseSeconds: 30)
        try await store.complete(
            AttemptRecord(
                leadID: lead.id, number: 1, integration: "irev", startedAt: 1_767_225_601, endedAt: 1_767_225_601,
                outcome: .error("no route"), report: .object([:])),
            state: .error, owner: "p1", now: 1_767_225_601)
        let analyst = await send("POST", "/api/v1/admin/redeliver", "{}", token: tokens[.analyst])
        XCTAssertEqual(analyst.status, 403)
        let bad = await send("POST", "/api/v1/admin/redeliver", #"{"from": "last week"}"#, token: tokens[.manager])
        XCTAssertEqual(bad.status, 422, "\(String(describing: bad.json))")
        let listed = await send("POST", "/api/v1/admin/redeliver", #"{"integration": "irev", "dry_run": true}"#, token: tokens[.manager])
        XCTAssertEqual(listed.json?["leads"], .array([.string(lead.id)]))
        let done = await send("POST", "/api/v1/admin/redeliver", #"{"offer_id": "7", "from": "2026-01-01"}"#, token: tokens[.manager])
        XCTAssertEqual(done.status, 200)
        XCTAssertEqual(done.json?["count"], .integer(1))
        let read = try await store.lead(id: lead.id)
        guard case .retry(_, 2) = read?.state else { return XCTFail("not redelivered: \(String(describing: read?.state))") }
    }

    func testKeysAndRolesDecideWhoMayDoWhat() async throws {
        let cases: [(String, Int, Int)] = [
            ("no key", await send("GET", "/api/v1/admin/offers", token: nil).status, 401),
            ("unknown key", await send("GET", "/api/v1/admin/offers", token: "lr_unknown").status, 401),
            ("an affiliate's key", await send("GET", "/api/v1/admin/offers", token: affiliateToken).status, 401),
            ("analyst on offers", await send("GET", "/api/v1/admin/offers", token: tokens[.analyst]).status, 403),
            ("analyst on affiliates", await send("GET", "/api/v1/admin/affiliates", token: tokens[.analyst]).status, 403),
            ("manager on offers", await send("GET", "/api/v1/admin/offers", token: tokens[.manager]).status, 200),
            ("manager on affiliates", await send("GET", "/api/v1/admin/affiliates", token: tokens[.manager]).status, 200),
            ("manager on an employee key", await send("POST", "/api/v1/admin/keys/ekey_x/revoke", token: tokens[.manager]).status, 403),
            ("admin on an employee key", await send("POST", "/api/v1/admin/keys/ekey_x/revoke", token: tokens[.admin]).status, 404),
        ]
        for (what, status, expected) in cases { XCTAssertEqual(status, expected, what) }
        let refused = await send("GET", "/api/v1/admin/offers", token: tokens[.analyst])
        XCTAssertEqual(refused.json?["error"]?["code"], .string("forbidden"))
        XCTAssertNotNil(refused.json?["request_id"])
        let asAffiliate = await send("POST", "/api/v1/leads", #"{"offer_id": "7", "email": "a@example.com"}"#, token: tokens[.admin])
        XCTAssertEqual(asAffiliate.status, 401, "an employee key is no affiliate key")
    }

    func testOffersAndRoutesCheckedAgainstTheManifest() async throws {
        let admin = tokens[.manager]
        let created = await send("POST", "/api/v1/admin/offers", #"{"name": "Crypto AT", "fall_through": ["cap_reached"]}"#, token: admin)
        XCTAssertEqual(created.status, 201, "\(String(describing: created.json))")
        XCTAssertEqual(created.json?["offer"]?["id"], .string("8"))
        let twice = await send("POST", "/api/v1/admin/offers", #"{"id": "7", "name": "Again"}"#, token: admin)
        XCTAssertEqual(twice.status, 409)
        let listed = await send("GET", "/api/v1/admin/offers", token: admin)
        XCTAssertEqual(listed.json?["offers"]?.arrayValue?.count, 2)

        let bad = await send(
            "POST", "/api/v1/admin/offers/7/routes",
            #"{"integration": "irev", "params": {"base_url": "https://x.example", "api_tokn": "t-SECRET-1", "is_test": true}}"#,
            token: admin)
        XCTAssertEqual(bad.status, 422)
        XCTAssertEqual(bad.json?["error"]?["code"], .string("invalid_params"))
        let named = bad.json?["error"]?["params"]?.arrayValue?.map { "\($0["param"]?.stringValue ?? "")/\($0["code"]?.stringValue ?? "")" }
        XCTAssertEqual(named, ["api_token/required", "api_tokn/unknown", "is_test/type"])
        XCTAssertFalse(bad.json?.encoded().contains("t-SECRET-1") ?? true)
        let noOffer = await send("POST", "/api/v1/admin/offers/99/routes", #"{"integration": "irev", "params": {}}"#, token: admin)
        XCTAssertEqual(noOffer.status, 404)

        let added = await send(
            "POST", "/api/v1/admin/offers/7/routes",
            #"{"integration": "irev", "params": {"base_url": "https://x.example", "api_token": "t-SECRET-0123456789"}, "countries": ["DE"], "priority": 1}"#,
            token: admin)
        XCTAssertEqual(added.status, 201, "\(String(describing: added.json))")
        XCTAssertEqual(added.json?["route"]?["params"]?["api_token"], .string("***"))
        let id = try XCTUnwrap(added.json?["route"]?["id"]?.int64Value)
        let routes = await send("GET", "/api/v1/admin/offers/7/routes", token: admin)
        XCTAssertEqual(routes.json?["routes"]?.arrayValue?.count, 1)
        XCTAssertFalse(routes.json?.encoded().contains("t-SECRET") ?? true)
        let stored = try await store.routes(offerID: "7")
        XCTAssertEqual(stored.first?.params["api_token"], .string("t-SECRET-0123456789"), "stored sealed, opened for delivery")
        XCTAssertEqual(stored.first?.secretParams, ["api_token"])
        let disabled = await send("PATCH", "/api/v1/admin/routes/\(id)", #"{"enabled": false}"#, token: admin)
        XCTAssertEqual(disabled.json?["route"]?["enabled"], .bool(false))
        let status1 = await send("DELETE", "/api/v1/admin/routes/\(id)", token: admin).status
        XCTAssertEqual(status1, 200)
        let status2 = await send("DELETE", "/api/v1/admin/routes/\(id)", token: admin).status
        XCTAssertEqual(status2, 404)
    }

    func testAnAffiliateKeyIssuedOnceWorksOnTheIntakeUntilRevoked() async throws {
        let admin = tokens[.manager]
        let created = await send("POST", "/api/v1/admin/affiliates", #"{"id": "B2", "name": "Second", "offers": ["7"]}"#, token: admin)
        XCTAssertEqual(created.status, 201, "\(String(describing: created.json))")
        XCTAssertEqual(created.json?["affiliate"]?["offers"], .array([.string("7")]))
        let badKey = await send(
            "POST", "/api/v1/admin/affiliates/B2/keys", #"{"permissions": ["leads:write"], "allow": ["127.0.0.1"]}"#, token: admin)
        XCTAssertEqual(badKey.status, 422)
        XCTAssertEqual(badKey.json?["error"]?["field"], .string("permissions"))
        let issued = await send(
            "POST", "/api/v1/admin/affiliates/B2/keys", #"{"permissions": ["leads:create"], "allow": ["127.0.0.1"], "expires_in": "1d"}"#,
            token: admin)
        XCTAssertEqual(issued.status, 201, "\(String(describing: issued.json))")
        let token = try XCTUnwrap(issued.json?["token"]?.stringValue)
        let keyID = try XCTUnwrap(issued.json?["key"]?["id"]?.stringValue)
        let listed = await send("GET", "/api/v1/admin/affiliates/B2/keys", token: admin)
        XCTAssertEqual(listed.json?["keys"]?.arrayValue?.count, 1)
        XCTAssertFalse(listed.json?.encoded().contains(token) ?? true, "a token is shown once")
        let lead = #"{"offer_id": "7", "first_name": "Anna", "email": "anna@example.com"}"#
        let status3 = await send("POST", "/api/v1/leads", lead, token: token).status
        XCTAssertEqual(status3, 202)
        let status4 = await send("POST", "/api/v1/admin/keys/\(keyID)/extend", #"{"expires_in": "30d"}"#, token: admin).status
        XCTAssertEqual(status4, 200)
        let status5 = await send("POST", "/api/v1/admin/keys/\(keyID)/revoke", token: admin).status
        XCTAssertEqual(status5, 200)
        let status6 = await send("POST", "/api/v1/leads", lead, token: token).status
        XCTAssertEqual(status6, 401)
        let status7 = await send("GET", "/api/v1/admin/affiliates/B9/keys", token: admin).status
        XCTAssertEqual(status7, 404)
    }

    func testOnlyAnAdminManagesEmployeesAndTheirKeys() async throws {
        let body = #"{"id": "E9", "name": "Analyst", "role": "analyst", "allow": ["127.0.0.1"], "expires_in": "1d"}"#
        let asManager = await send("POST", "/api/v1/admin/employees", body, token: tokens[.manager])
        XCTAssertEqual(asManager.status, 403)
        let created = await send("POST", "/api/v1/admin/employees", body, token: tokens[.admin])
        XCTAssertEqual(created.status, 201, "\(String(describing: created.json))")
        XCTAssertEqual(created.json?["employee"]?["role"], .string("analyst"))
        let token = try XCTUnwrap(created.json?["token"]?.stringValue)
        let asAnalyst = await send("GET", "/api/v1/admin/offers", token: token)
        XCTAssertEqual(asAnalyst.status, 403, "known, but an analyst has no right over offers")
        let badRole = await send(
            "POST", "/api/v1/admin/employees", #"{"name": "X", "role": "boss", "allow": ["127.0.0.1"]}"#, token: tokens[.admin])
        XCTAssertEqual(badRole.status, 422)
        let another = await send("POST", "/api/v1/admin/employees/E9/keys", #"{"allow": ["127.0.0.1"]}"#, token: tokens[.admin])
        XCTAssertEqual(another.status, 201)
        let second = try XCTUnwrap(another.json?["token"]?.stringValue)
        XCTAssertNotEqual(second, token)
        let listed = await send("GET", "/api/v1/admin/employees", token: tokens[.admin])
        let nine = listed.json?["employees"]?.arrayValue?.first { $0["id"] == .string("E9") }
        XCTAssertEqual(nine?["keys"]?.arrayValue?.count, 2)
        XCTAssertFalse(listed.json?.encoded().contains(token) ?? true, "a token is shown once")
        let keyID = try XCTUnwrap(another.json?["key"]?["id"]?.stringValue)
        let revoked = await send("POST", "/api/v1/admin/keys/\(keyID)/revoke", token: tokens[.admin])
        XCTAssertEqual(revoked.status, 200)
        let afterRevoke = await send("GET", "/api/v1/admin/offers", token: second)
        XCTAssertEqual(afterRevoke.status, 401)
        let noOne = await send("POST", "/api/v1/admin/employees/E404/keys", #"{"allow": ["127.0.0.1"]}"#, token: tokens[.admin])
        XCTAssertEqual(noOne.status, 404)
    }
}
