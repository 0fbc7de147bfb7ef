import Foundation
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

/// Issue 13, point 8: "where a network needs a login step, the token is cached and
/// refreshed on 401". Fixtures replay one call with an empty cache; these run several calls
/// of a bundled script through one instance (one cache), as a pool worker does.
final class LoginTokenCacheTests: XCTestCase {
    static let integrations =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/integrations"

    static let lead: JSONValue = .object([
        "id": .string("L-1001"), "created_at": .string("2025-12-31T20:00:00Z"), "first_name": .string("Anna"),
        "last_name": .string("Schmidt"), "email": .string("anna@example.com"),
    ])

    static let salesforceParams: [String: JSONValue] = [
        "domain_url": .string("https://acme.my.salesforce.com"), "client_id": .string("3MVG9-consumer-key"),
        "client_secret": .string("consumer-secret"),
    ]

    func instance(_ name: String) throws -> IntegrationInstance {
        try IntegrationCatalog.scan(Self.integrations).instance(name)
    }

    static func json(_ status: Int, _ text: String) -> OutboundResponse {
        OutboundResponse(status: status, headers: [("content-type", "application/json")], body: Array(text.utf8))
    }

    /// A Salesforce org: the token endpoint hands out `tokens` in turn with `instance` (then
    /// refuses: invalid_grant); a Lead is created (201) when its Bearer token is in `valid`, else 401 INVALID_SESSION_ID.
    final class SalesforceOrg {
        var tokens: [String]
        var valid: Set<String>
        let instance: String
        var seen: [OutboundRequest] = []

        init(tokens: [String], valid: Set<String>, instance: String) {
            self.tokens = tokens
            self.valid = valid
            self.instance = instance
        }

        func answer(_ request: OutboundRequest) -> OutboundResponse {
            seen.append(request)
            if request.url.hasSuffix("/services/oauth2/token") {
                guard !tokens.isEmpty else { return LoginTokenCacheTests.json(400, #"{"error":"invalid_grant"}"#) }
                let token = tokens.removeFirst()
                return LoginTokenCacheTests.json(200, #"{"access_token":"\#(token)","instance_url":"\#(instance)","token_type":"Bearer"}"#)
            }
            let token = String((request.header("authorization") ?? "").dropFirst("Bearer ".count))
            if valid.contains(token) { return LoginTokenCacheTests.json(201, #"{"id":"00Q-\#(token)","errors":[],"success":true}"#) }
            return LoginTokenCacheTests.json(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
        }

        var tokenRequests: Int { seen.filter { $0.url.hasSuffix("/services/oauth2/token") }.count }
        var leadRequests: [OutboundRequest] { seen.filter { $0.url.contains("/sobjects/Lead/") } }
    }

    func push(_ instance: IntegrationInstance, params: [String: JSONValue], _ org: SalesforceOrg) -> Outcome? {
        instance.run(CallInput(action: .push, lead: Self.lead, params: params, now: 1000), transport: org.answer).outcome
    }

    func testSalesforceAsksForOneTokenForManyLeadsAndSendsThemToTheAnswersInstance() throws {
        let salesforce = try instance("salesforce")
        let org = SalesforceOrg(tokens: ["T1", "T2"], valid: ["T1"], instance: "https://acme.my.salesforce.com")
        for _ in 0..<3 {
            XCTAssertEqual(push(salesforce, params: Self.salesforceParams, org), Outcome(.accepted, externalID: "00Q-T1"))
        }
        XCTAssertEqual(org.tokenRequests, 1, "\(org.seen.map(\.url))")
        XCTAssertEqual(org.leadRequests.map { $0.header("authorization") }, ["Bearer T1", "Bearer T1", "Bearer T1"])
    }

    func testSalesforceRenewsTheCachedTokenOnceOn401AndKeepsTheNewOne() throws {
        let salesforce = try instance("salesforce")
        let org = SalesforceOrg(tokens: ["T1", "T2", "T3"], valid: ["T1"], instance: "https://acme.my.salesforce.com")
        XCTAssertEqual(push(salesforce, params: Self.salesforceParams, org), Outcome(.accepted, externalID: "00Q-T1"))
        org.valid = ["T2"]  // the org ends the session of T1
        XCTAssertEqual(push(salesforce, params: Self.salesforceParams, org), Outcome(.accepted, externalID: "00Q-T2"))
        XCTAssertEqual(push(salesforce, params: Self.salesforceParams, org), Outcome(.accepted, externalID: "00Q-T2"))
        XCTAssertEqual(org.tokenRequests, 2, "\(org.seen.map(\.url))")
        XCTAssertEqual(
            org.leadRequests.map { $0.header("authorization") }, ["Bearer T1", "Bearer T1", "Bearer T2", "Bearer T2"])
    }

    func testSalesforceSendsTheLeadToTheInstanceURLOfTheTokenAnswer() throws {
        let salesforce = try instance("salesforce")
        let org = SalesforceOrg(tokens: ["T1"], valid: ["T1"], instance: "https://acme-instance.example")
        XCTAssertEqual(push(salesforce, params: Self.salesforceParams, org), Outcome(.accepted, externalID: "00Q-T1"))
        XCTAssertEqual(org.seen.first?.url, "https://acme.my.salesforce.com/services/oauth2/token")
        XCTAssertEqual(org.leadRequests.map(\.url), ["https://acme-instance.example/services/data/v62.0/sobjects/Lead/"])
    }

    func testZohoRefreshesOnceForManyLeads() throws {
        let zoho = try instance("zoho_crm")
        let params: [String: JSONValue] = [
            "client_id": .string("1000.CLIENT"), "client_secret": .string("secret"), "refresh_token": .string("1000.refresh"),
        ]
        var refreshes = 0
        for _ in 0..<3 {
            let outcome = zoho.run(CallInput(action: .push, lead: Self.lead, params: params, now: 1000)) { request in
                if request.url.contains("/oauth/v2/token") {
                    refreshes += 1
                    return Self.json(200, #"{"access_token":"Z\#(refreshes)","expires_in":3600}"#)
                }
                return Self.json(201, #"{"data":[{"code":"SUCCESS","details":{"id":"41"},"status":"success"}]}"#)
            }.outcome
            XCTAssertEqual(outcome, Outcome(.accepted, externalID: "41"))
        }
        XCTAssertEqual(refreshes, 1)
    }
}
