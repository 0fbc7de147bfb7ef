import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// The intake API on a live server on loopback: keys, refusals, a stored lead delivered.
final class IntakeAPITests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var server: LeadRelayServer!
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var token = ""
    var elsewhereToken = ""

    override func setUp() async throws {
        temporary = try TemporaryDirectory("intake")
        store = try temporary.sealedStore()
        try await store.save(StoredOffer(id: "7", name: "Crypto DE", duplicateWindow: 86_400))
        try await store.save(StoredOffer(id: "8", name: "Not granted"))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        let loopback = try XCTUnwrap(IPRange(from: "127.0.0.1"))
        let office = try XCTUnwrap(IPRange(from: "203.0.113.0", to: "203.0.113.255"))
        let future = Date().timeIntervalSince1970 + 3600
        token = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads, .readLeads], allowlist: [loopback], expiresAt: future
        ).1.text
        elsewhereToken = try await store.issueKey(affiliateID: "A1", permissions: [.createLeads], allowlist: [office], expiresAt: future).1
            .text
        let network = DispatcherTests.FakeNetwork { _ in Outcome(.accepted, message: "buyer's own words", externalID: "X-1") }
        let route = LeadRoute(integration: "demo", runner: network, params: [:], offer: Offer(id: "7", name: "Crypto DE"))
        let dispatcher = Dispatcher(
            store: store, routing: DispatcherTests.FixedRouting(route: route),
            configuration: .init(owner: "intake-test", idleSeconds: 0.02))
        // Stopping cancels the server's task, which Hummingbird logs as an error.
        var quiet = Logger(label: "intake-test")
        quiet.logLevel = .critical
        server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), store: store, dispatcher: dispatcher, logger: quiet)
    }

    override func tearDown() async throws {
        await server.stop()
        client.shutdown()
        temporary.remove()
    }

    func send(
        _ method: String, _ path: String, _ body: String = "", token: String? = nil,
        contentType: String = "application/json", extra: [(name: String, value: String)] = []
    ) async -> (status: Int, json: JSONValue?, headers: [(name: String, value: String)]) {
        var headers: [(name: String, value: String)] = [("content-type", contentType)] + extra
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        let response = await client.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)",
                headers: headers, body: Array(body.utf8), timeout: 10))
        return (response.status, try? JSONValue.parse(response.body), response.headers)
    }

    static let lead = #"{"offer_id": "7", "first_name": "Anna", "email": "anna@example.com", "country": "DE"}"#

    func testAKeyOverItsRateIsAnswered429WithRetryAfter() async throws {
        let limited = try await store.issueKey(
            affiliateID: "A1", permissions: [.createLeads], allowlist: [IPRange(from: "127.0.0.1")!],
            expiresAt: Date().timeIntervalSince1970 + 600, rate: RateLimit("2/1m")
        )
        let stored = try await store.key(digest: limited.1.digest)
        XCTAssertEqual(stored?.rate, RateLimit("2/1m"), "the rate is stored")
        for n in 0..<2 {
            let lead = #"{"offer_id": "7", "first_name": "Anna", "email": "rate\#(n)@example.com", "country": "DE"}"#
            let taken = await send("POST", "/api/v1/leads", lead, token: limited.1.text)
            XCTAssertEqual(taken.status, 202)
        }
        let over = await send("POST", "/api/v1/leads", Self.lead, token: limited.1.text)
        XCTAssertEqual(over.status, 429)
        XCTAssertEqual(over.json?["error"]?["code"], .string("rate_limited"))
        let retryAfter = Int(over.headers.first { $0.name == "retry-after" }?.value ?? "") ?? 0
        XCTAssertTrue((1...60).contains(retryAfter), "Retry-After: \(retryAfter)")
        XCTAssertEqual(over.json?["error"]?["retry_after"], .integer(Int64(retryAfter)))
        let other = await send(
            "POST", "/api/v1/leads", #"{"offer_id": "7", "first_name": "Bo", "email": "free@example.com", "country": "DE"}"#, token: token)
        XCTAssertEqual(other.status, 202, "another key has its own rate")
    }

    func testAFormEncodedLeadIsTakenAsJSONWouldBe() async throws {
        let form = "offer_id=7&first_name=Anna&email=anna%2Bform%40example.com&country=DE&address[city]=Berlin&utm_source=push"
        let posted = await send("POST", "/api/v1/leads", form, token: token, contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(posted.status, 202, "\(String(describing: posted.json))")
        let id = try XCTUnwrap(posted.json?["id"]?.stringValue)
        let stored = try await store.lead(id: id)
        XCTAssertEqual(stored?.fields["email"], .string("anna+form@example.com"))
        XCTAssertEqual(stored?.fields["address"]?["city"], .string("Berlin"))
        XCTAssertEqual(stored?.fields["extra"]?["utm_source"], .string("push"), "an unknown field goes to extra")
        let bad = await send("POST", "/api/v1/leads", "offer_id=%zz", token: token, contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.json?["error"]?["code"], .string("invalid_form"))
    }

    func testAPostedLeadIsStoredAcknowledgedAndDelivered() async throws {
        let posted = await send("POST", "/api/v1/leads", Self.lead, token: token)
        XCTAssertEqual(posted.status, 202, "\(String(describing: posted.json))")
        let id = try XCTUnwrap(posted.json?["id"]?.stringValue)
        XCTAssertEqual(posted.json?["state"], .string("pending"))
        let requestID = try XCTUnwrap(posted.json?["request_id"]?.stringValue)
        XCTAssertEqual(posted.headers.first { $0.name == "x-request-id" }?.value, requestID)
        var state = ""
        for _ in 0..<250 where state != "accepted" {
            state = await send("GET", "/api/v1/leads/\(id)", token: token).json?["state"]?.stringValue ?? ""
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let read = await send("GET", "/api/v1/leads/\(id)", token: token)
        XCTAssertEqual(read.json?["state"], .string("accepted"))
        XCTAssertEqual(read.json?["outcome"], .string("accepted"))
        XCTAssertFalse(read.json?.encoded().contains("buyer's own words") ?? true, "the buyer's wording stays with the service")
        XCTAssertFalse(read.json?.encoded().contains("demo") ?? true, "the route stays with the service")
        let stored = try await store.lead(id: id)
        XCTAssertEqual(stored?.affiliateID, "A1")
    }

    func testRefusalsAreJSONWithTheirStatus() async throws {
        let cases: [(String, Int, String)] = [
            ("no key", await send("POST", "/api/v1/leads", Self.lead).status, "401"),
            ("unknown key", await send("POST", "/api/v1/leads", Self.lead, token: "lr_unknown").status, "401"),
            ("address", await send("POST", "/api/v1/leads", Self.lead, token: elsewhereToken).status, "403"),
            (
                "offer",
                await send("POST", "/api/v1/leads", Self.lead.replacingOccurrences(of: "\"7\"", with: "\"8\""), token: token).status, "403"
            ),
            ("type", await send("POST", "/api/v1/leads", Self.lead, token: token, contentType: "text/plain").status, "415"),
            ("size", await send("POST", "/api/v1/leads", String(repeating: " ", count: 70_000) + Self.lead, token: token).status, "413"),
            ("json", await send("POST", "/api/v1/leads", "{oops", token: token).status, "400"),
        ]
        for (what, status, expected) in cases { XCTAssertEqual("\(status)", expected, what) }
        let invalid = await send("POST", "/api/v1/leads", #"{"offer_id": "7", "email": "nope"}"#, token: token)
        XCTAssertEqual(invalid.status, 422)
        XCTAssertEqual(invalid.json?["error"]?["fields"]?.arrayValue?.compactMap { $0["field"]?.stringValue }, ["email"])
        let unknown = await send("POST", "/api/v1/leads", Self.lead, token: "lr_unknown")
        XCTAssertEqual(unknown.json?["error"]?["code"], .string("unauthorized"))
        XCTAssertNotNil(unknown.json?["request_id"])
    }

    func testAnotherAffiliatesLeadIsNotFound() async throws {
        try await store.save(Affiliate(id: "A2", name: "Other", offers: ["7"]))
        let other = try await store.issueKey(
            affiliateID: "A2", permissions: [.readLeads], allowlist: [try XCTUnwrap(IPRange(from: "127.0.0.1"))],
            expiresAt: Date().timeIntervalSince1970 + 3600
        ).1.text
        let posted = await send("POST", "/api/v1/leads", Self.lead, token: token)
        let id = try XCTUnwrap(posted.json?["id"]?.stringValue)
        let read = await send("GET", "/api/v1/leads/\(id)", token: other)
        XCTAssertEqual(read.status, 404)
        let health = await send("GET", "/health")
        XCTAssertEqual(health.json?["status"], .string("ok"))
    }

    func testAnIdempotencyKeyGivesTheSameLeadAndRefusesAnotherBody() async throws {
        let key = [(name: "Idempotency-Key", value: "k-42")]
        let first = await send("POST", "/api/v1/leads", Self.lead, token: token, extra: key)
        let again = await send("POST", "/api/v1/leads", Self.lead, token: token, extra: key)
        XCTAssertEqual(first.status, 202)
        XCTAssertEqual(again.status, 202)
        XCTAssertEqual(again.json?["id"], first.json?["id"])
        XCTAssertNotEqual(again.json?["state"], .string("rejected"), "a replay is not a duplicate of itself")
        let other = await send("POST", "/api/v1/leads", Self.lead.replacingOccurrences(of: "Anna", with: "Ann"), token: token, extra: key)
        XCTAssertEqual(other.status, 409)
        XCTAssertEqual(other.json?["error"]?["code"], .string("idempotency_key_reused"))
    }

    func testADuplicateWithinTheOffersWindowIsStoredRejectedAndNotSent() async throws {
        let first = await send("POST", "/api/v1/leads", Self.lead, token: token)
        let second = await send("POST", "/api/v1/leads", Self.lead.replacingOccurrences(of: "anna@", with: "ANNA@"), token: token)
        XCTAssertEqual(first.json?["state"], .string("pending"))
        XCTAssertEqual(second.status, 202)
        XCTAssertEqual(second.json?["state"], .string("rejected"))
        XCTAssertEqual(second.json?["reason"], .string("duplicate"))
        let id = try XCTUnwrap(second.json?["id"]?.stringValue)
        let stored = try await store.lead(id: id)
        XCTAssertEqual(stored?.state, .rejected, "kept, not lost")
        let attempts = try await store.attempts(leadID: id)
        XCTAssertEqual(attempts, [], "never sent")
    }
}
