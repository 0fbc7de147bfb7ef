import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import LeadRelayService
import OutboundHTTP
import XCTest

/// `leadrelay fixture from-attempt` (issue 13, point 6): an attempt the service stored
/// becomes a fixture that `leadrelay check` replays, with no secret in it.
final class FixtureFromAttemptProcessTests: XCTestCase {
    var dir: TemporaryDirectory!
    let root = LeadRelayProcess.root

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    /// What irev/push-test-call.json records, as the service stores it: a test lead of offer
    /// 1 through an irev route, its attempt rendered by `CallReport.stored`.
    func seed() async throws {
        let key = try SecretKey.load(environment: [:], file: dir.path + "/leadrelay.key")
        let store = try SQLiteStore(path: dir.path + "/leadrelay.sqlite", sealer: SecretSealer(key: key))
        try await store.save(StoredOffer(id: "1", name: "Test offer"))
        let route = try await store.save(
            OfferRoute(
                offerID: "1", integration: "irev",
                params: [
                    "base_url": .string("https://acme.irev.com"), "api_token": .string("irev-test-token"),
                    "affiliate_id": .string("2"), "offer_id": .string("1"),
                ],
                secretParams: ["api_token"], postbackToken: "pb-token-0123456789"))
        let text = try String(contentsOfFile: root + "/Tests/ScriptFixtures/irev/push-test-call.json", encoding: .utf8)
        let recorded = try XCTUnwrap(try JSONValue.parse(Array(text.utf8)).objectValue)
        let exchange = try XCTUnwrap(recorded["exchanges"]?.arrayValue?.first)
        var lead = try XCTUnwrap(recorded["lead"]?.objectValue)
        lead["id"] = nil
        lead["created_at"] = nil
        let request = OutboundRequest(
            method: "POST", url: "https://acme.irev.com/api/affiliates/v2/leads",
            headers: [("Authorization", "irev-test-token"), ("Content-Type", "application/json")],
            body: Array(try XCTUnwrap(exchange["request"]?["json"]).encoded().utf8))
        let response = OutboundResponse(
            status: 200, headers: [("content-type", "application/json")],
            body: Array(try XCTUnwrap(exchange["response"]?["json"]).encoded().utf8), elapsed: 0.2)
        var masker = SecretMasker()
        masker.add("irev-test-token", name: "api_token")
        let outcome = Outcome(
            .accepted, externalID: "0f1b8398-e144-4fa6-93e0-1d7dce7b74db",
            redirectURL: "https://autologin-domain.com/sdk/v1/leads-workflow/go/11/0f1b8398-e144-4fa6-93e0-1d7dce7b74db",
            extra: .object(["advertiser_name": .string("Test Brand"), "advertiser_uuid": .string("06aadc39-9034-47ad-8edb-de8992ba6803")]))
        let result = CallResult(value: .outcome(outcome), exchanges: [Exchange(request: request, response: response)], masker: masker)
        let report = CallReport.stored(result, hiding: [("password", "Xy7!pass")]).json
        try await store.storeTestLead(
            id: "L-1001", NewLead(offerID: "1", fields: .object(lead), isTest: true, receivedAt: 1_767_200_000),
            attempt: AttemptRecord(
                leadID: "L-1001", number: 1, integration: "irev", startedAt: 1_767_200_001, endedAt: 1_767_200_002,
                outcome: outcome, report: report, routeID: route.id),
            state: .accepted)
    }

    func testAStoredAttemptBecomesAFixtureThatPassesCheck() async throws {
        try await seed()
        let done = try LeadRelayProcess.run(
            ["fixture", "from-attempt", "L-1001:1", "--integrations", root + "/integrations", "--output", "fx/irev/stored.json"],
            in: dir.path)
        XCTAssertEqual(done.status, 0, done.description)
        let written = try String(contentsOfFile: dir.path + "/fx/irev/stored.json", encoding: .utf8)
        XCTAssertFalse(written.contains("irev-test-token"), written)
        XCTAssertFalse(written.contains("Xy7!pass"), written)
        let fixture = try XCTUnwrap(try JSONValue.parse(Array(written.utf8)).objectValue)
        XCTAssertEqual(fixture["params"]?["api_token"]?.stringValue, "***api_token***")
        XCTAssertEqual(fixture["lead"]?["password"]?.stringValue, "***password***")
        XCTAssertEqual(fixture["test"], .bool(true))
        XCTAssertEqual(fixture["now"]?.stringValue, "2025-12-31T16:53:21Z")
        let checked = try LeadRelayProcess.run(
            ["check", "--integrations", root + "/integrations", "--fixtures", "fx", "--only", "irev", "-v"], in: dir.path)
        XCTAssertEqual(checked.status, 0, checked.description)
        XCTAssertTrue(checked.stdout.contains("1 passed, 0 failed"), checked.stdout)
    }

    func testAMissingAttemptExitsOneNamingTheAttempts() async throws {
        try await seed()
        let done = try LeadRelayProcess.run(
            ["fixture", "from-attempt", "L-1001:3", "--integrations", root + "/integrations"], in: dir.path)
        XCTAssertEqual(done.status, 1, done.description)
        XCTAssertTrue(done.stderr.contains("lead L-1001 has no attempt 3 (attempts: [1])"), done.stderr)
    }
}
