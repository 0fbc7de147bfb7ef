import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Affiliate postbacks end to end against a receiver on loopback (an ephemeral port): queued
/// with the change they report, sent through `LiveTransport` under the postbacks' egress
/// policy, retried, recorded, and kept across a restart.
final class AffiliatePostbackTests: XCTestCase {
    static let now = 1_767_225_600.0
    static let quiet: Logger = {
        var logger = Logger(label: "affiliate-postback-test")
        logger.logLevel = .critical
        return logger
    }()
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var receiver: PostbackReceiver!
    var transport: LiveTransport!
    var route: OfferRoute!

    override func setUp() async throws {
        temporary = try TemporaryDirectory("affiliate-postbacks")
        store = try temporary.sealedStore()
        receiver = try PostbackReceiver()
        transport = LiveTransport(configuration: .init(egressPolicy: .allowing([try XCTUnwrap(AddressBlock("127.0.0.0/8"))])))
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        route = try await store.save(OfferRoute(offerID: "7", integration: "irev", postbackToken: "t-irev"))
        let template =
            "http://127.0.0.1:\(receiver.port)/pb?lead={lead_id}&sub={sub_id}&click={click_id}&status={status}"
            + "&stage={stage}&payout={payout}&token=s3cret"
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"], postbackURL: template))
    }

    override func tearDown() async throws {
        receiver.stop()
        transport.shutdown()
        temporary.remove()
    }

    let metrics = ServiceMetrics()

    func sender(_ store: SQLiteStore? = nil, transport: LiveTransport? = nil) -> AffiliatePostbackSender {
        AffiliatePostbackSender(
            store: store ?? self.store, transport: transport ?? self.transport,
            configuration: .init(allowedPorts: [receiver.port], timeout: 5, leaseSeconds: 60), metrics: metrics, logger: Self.quiet,
            clock: { Self.now + 5 })
    }

    /// A lead of affiliate A1 delivered through the route, ending in `state`.
    func delivered(_ n: Int, state: DeliveryState, subID: String = "sub 1&x=2") async throws -> String {
        let fields: JSONValue = .object(["email": .string("a\(n)@example.com"), "sub_id": .string(subID), "click_id": .string("c-\(n)")])
        guard
            case .inserted(let lead) = try await store.insert(
                NewLead(offerID: "7", affiliateID: "A1", fields: fields, receivedAt: Self.now))
        else { throw StoreError.unavailable("not inserted") }
        _ = try await store.claimDue(now: Self.now, limit: 10, owner: "p", leaseSeconds: 30)
        let outcome =
            state == .accepted
            ? Outcome(.accepted, externalID: "ext-\(n)") : Outcome(.rejected, reason: .filtered, message: "Buyer says: no")
        try await store.complete(
            AttemptRecord(
                leadID: lead.id, number: 1, integration: "irev", startedAt: Self.now, endedAt: Self.now + 1, outcome: outcome,
                report: .object([:]), routeID: route.id),
            state: state, owner: "p", now: Self.now + 1)
        return lead.id
    }

    func testDeliveryAndStageChangesCallTheAffiliateWithNeutralEncodedValuesAndEveryCallIsRecorded() async throws {
        let lead = try await delivered(1, state: .accepted)
        let recording = try await store.record(
            [StatusUpdate(externalID: "ext-1", stage: .approve, status: "FTD by BuyerCorp", comment: "route irev")], routeID: route.id,
            source: .postback, now: Self.now + 2)
        XCTAssertEqual(recording.changes.count, 1)
        let calls = await sender().sendDue(now: Self.now + 3)
        XCTAssertEqual(calls.map(\.result), [.sent, .sent])
        let queries = receiver.requests.map { String($0.dropFirst("/pb?".count)) }.sorted()
        XCTAssertEqual(
            queries,
            [
                "lead=\(lead)&sub=sub%201%26x%3D2&click=c-1&status=accepted&stage=&payout=&token=s3cret",
                "lead=\(lead)&sub=sub%201%26x%3D2&click=c-1&status=approved&stage=approve&payout=&token=s3cret",
            ])
        for query in queries {
            XCTAssertFalse(query.contains("FTD") || query.contains("irev") || query.contains("Buyer"), "never the buyer's words: \(query)")
        }
        let recorded = try await store.postbackCalls(affiliateID: "A1", limit: 10)
        XCTAssertEqual(Set(recorded.map(\.event)), ["accepted", "stage:approve"])
        for call in recorded {
            XCTAssertEqual(call.status, 200)
            XCTAssertEqual(call.result, .sent)
            XCTAssertEqual(call.leadID, lead)
            XCTAssertNil(call.error)
            XCTAssertTrue(call.url.hasSuffix("&token=***"), "the recorded URL hides the tracker's token: \(call.url)")
        }
        let nothingLeft = await sender().sendDue(now: Self.now + 1000)
        XCTAssertTrue(nothingLeft.isEmpty, "a sent postback is not sent again")
        let waiting = try await store.waitingPostbacks(affiliateID: "A1")
        XCTAssertEqual(waiting, 0)
    }

    func testOnlyFinalDeliveryStatesQueueAPostbackAndOnlyForAnAffiliateWithATemplate() async throws {
        _ = try await delivered(1, state: .rejected)
        _ = try await delivered(2, state: .error)
        let calls = await sender().sendDue(now: Self.now + 3)
        XCTAssertEqual(calls.map(\.event), ["rejected"], "error is held for redelivery: no postback")
        XCTAssertEqual(receiver.requests.first?.contains("status=rejected&stage="), true)
        _ = try await store.setPostbackURL(affiliateID: "A1", template: nil)
        _ = try await delivered(3, state: .accepted)
        let none = await sender().sendDue(now: Self.now + 4)
        XCTAssertTrue(none.isEmpty, "no template, no postback")
    }

    func testTheEgressPolicyRefusesALoopbackAddressUnlessItIsAllowed() async throws {
        let defaults = ServiceSettings()
        let strict = LiveTransport(configuration: .init(egressPolicy: .allowing(defaults.postbackEgress)))
        defer { strict.shutdown() }
        _ = try await delivered(1, state: .accepted)
        let refused = await sender(transport: strict).sendDue(now: Self.now + 3)
        XCTAssertEqual(refused.map(\.result), [.failed], "a refusal is configuration: not retried")
        XCTAssertEqual(
            refused.first?.error?.contains("egress refused: 127.0.0.1 is loopback"), true, "\(String(describing: refused.first?.error))")
        XCTAssertEqual(receiver.requests.count, 0, "nothing reached the receiver")
        _ = try await delivered(2, state: .accepted)
        let allowed = await sender().sendDue(now: Self.now + 4)
        XCTAssertEqual(allowed.map(\.result), [.sent], "127.0.0.0/8 allowed: the call goes through")
        XCTAssertEqual(receiver.requests.count, 1)
    }

    func testAPortOutsideTheAllowedOnesIsRefusedAtEachCall() async throws {
        _ = try await delivered(1, state: .accepted)
        let other = AffiliatePostbackSender(
            store: store, transport: transport, configuration: .init(allowedPorts: [443]), logger: Self.quiet, clock: { Self.now + 5 })
        let calls = await other.sendDue(now: Self.now + 3)
        XCTAssertEqual(calls.map(\.result), [.failed])
        XCTAssertEqual(calls.first?.error?.contains("egress.postbacks.ports"), true)
        XCTAssertEqual(receiver.requests.count, 0)
    }

    func testAFailedCallIsRetriedAfterA500() async throws {
        receiver.answer([500])
        _ = try await delivered(1, state: .accepted)
        let first = await sender().sendDue(now: Self.now + 3)
        XCTAssertEqual(first.map(\.result), [.retry])
        XCTAssertEqual(first.first?.status, 500)
        let counted = metrics.render(backlog: nil, openCircuits: [], integrations: 0)
        XCTAssertTrue(counted.contains(#"leadrelay_affiliate_postbacks_total{event="accepted",result="retry"} 1"#), counted)
        let early = await sender().sendDue(now: Self.now + 10)
        XCTAssertTrue(early.isEmpty, "not due again before the policy's delay (30 s after the call)")
        let second = await sender().sendDue(now: Self.now + 5 + 31)
        XCTAssertEqual(second.map(\.result), [.sent])
        XCTAssertEqual(second.first?.attempt, 2)
        let recorded = try await store.postbackCalls(affiliateID: "A1", limit: 10)
        XCTAssertEqual(recorded.map(\.status), [200, 500], "both calls recorded, newest first")
        XCTAssertEqual(recorded.last?.error, "HTTP 500")
        XCTAssertEqual(receiver.requests.count, 2)
        let after = metrics.render(backlog: nil, openCircuits: [], integrations: 0)
        XCTAssertTrue(after.contains(#"leadrelay_affiliate_postbacks_total{event="accepted",result="sent"} 1"#), after)
    }

    func testNothingIsLostAcrossARestartOfTheSender() async throws {
        let first = try await delivered(1, state: .accepted)
        let second = try await delivered(2, state: .accepted)
        // A sender claims one postback and dies before calling; the process restarts.
        let claimed = try await store.claimAffiliatePostbacks(now: Self.now + 3, limit: 1, leaseSeconds: 60)
        XCTAssertEqual(claimed.count, 1)
        store = nil
        let reopened = try temporary.sealedStore()
        let waiting = try await reopened.waitingPostbacks(affiliateID: "A1")
        XCTAssertEqual(waiting, 2, "both postbacks are on disk")
        let afterRestart = await sender(reopened).sendDue(now: Self.now + 4)
        XCTAssertEqual(afterRestart.count, 1, "the unclaimed one is sent at once; the claimed one waits for its lease")
        let afterLease = await sender(reopened).sendDue(now: Self.now + 3 + 61)
        XCTAssertEqual(afterLease.map(\.attempt), [2], "claimed again once its lease ran out, as its next attempt")
        let leads = receiver.requests.compactMap { $0.dropFirst("/pb?".count).split(separator: "&").first.map(String.init) }.sorted()
        XCTAssertEqual(leads, ["lead=\(first)", "lead=\(second)"].sorted(), "each postback reached the receiver once")
    }
}
