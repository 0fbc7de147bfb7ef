import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// `{payout}` and `{currency}` in affiliate postbacks, seen by a receiver on loopback: the
/// affiliate's payout for the lead as it stands after the event (the offer's amount when the
/// lead earns it, `0` when it does not, both empty for an offer without a payout), fixed
/// when the postback is queued.
final class AffiliatePostbackPayoutTests: XCTestCase {
    static let now = 1_767_225_600.0
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var receiver: PostbackReceiver!
    var transport: LiveTransport!
    /// Route ids by offer id.
    var routes: [String: Int64] = [:]

    override func setUp() async throws {
        temporary = try TemporaryDirectory("affiliate-postback-payout")
        store = try temporary.sealedStore()
        receiver = try PostbackReceiver()
        transport = LiveTransport(configuration: .init(egressPolicy: .allowing([try XCTUnwrap(AddressBlock("127.0.0.0/8"))])))
        try await store.save(
            StoredOffer(id: "acc", name: "Paid on accept", payout: Payout(amount: 25, currency: "EUR", basis: .accepted)))
        try await store.save(
            StoredOffer(
                id: "app", name: "Paid on approve", payout: Payout(amount: Decimal(string: "10.5")!, currency: "USD", basis: .approved)))
        try await store.save(StoredOffer(id: "none", name: "No payout"))
        for offer in ["acc", "app", "none"] {
            routes[offer] = try await store.save(OfferRoute(offerID: offer, integration: "irev", postbackToken: "t-\(offer)")).id
        }
        let template = "http://127.0.0.1:\(receiver.port)/pb?lead={lead_id}&status={status}&payout={payout}&currency={currency}"
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["acc", "app", "none"], postbackURL: template))
    }

    override func tearDown() async throws {
        receiver.stop()
        transport.shutdown()
        temporary.remove()
    }

    func sender() -> AffiliatePostbackSender {
        var quiet = Logger(label: "affiliate-postback-payout-test")
        quiet.logLevel = .critical
        return AffiliatePostbackSender(
            store: store, transport: transport, configuration: .init(allowedPorts: [receiver.port], timeout: 5, leaseSeconds: 60),
            logger: quiet, clock: { Self.now + 5 })
    }

    /// A lead of A1 for `offer`, delivered through the offer's route and ending in `state`
    /// (accepted with the network id `ext-<n>`).
    func delivered(_ n: Int, offer: String, state: DeliveryState) async throws -> String {
        guard
            case .inserted(let lead) = try await store.insert(
                NewLead(offerID: offer, affiliateID: "A1", fields: .object(["email": .string("p\(n)@example.com")]), receivedAt: Self.now))
        else { throw StoreError.unavailable("not inserted") }
        _ = try await store.claimDue(now: Self.now, limit: 10, owner: "p", leaseSeconds: 30)
        let outcome = state == .accepted ? Outcome(.accepted, externalID: "ext-\(n)") : Outcome(.rejected, reason: .filtered)
        try await store.complete(
            AttemptRecord(
                leadID: lead.id, number: 1, integration: "irev", startedAt: Self.now, endedAt: Self.now + 1, outcome: outcome,
                report: .object([:]), routeID: routes[offer]),
            state: state, owner: "p", now: Self.now + 1)
        return lead.id
    }

    func stage(_ n: Int, offer: String, _ stage: StatusUpdate.Stage) async throws {
        _ = try await store.record(
            [StatusUpdate(externalID: "ext-\(n)", stage: stage, status: "s")], routeID: routes[offer]!, source: .postback,
            now: Self.now + 2)
    }

    /// What the receiver got for `lead`, as `status payout currency` in the order called.
    func received(_ lead: String) -> [String] {
        receiver.requests.compactMap { request -> String? in
            let pairs = request.dropFirst("/pb?".count).split(separator: "&", omittingEmptySubsequences: false)
            var values: [String: String] = [:]
            for pair in pairs {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            guard values["lead"] == lead else { return nil }
            return "\(values["status"] ?? "?") \(values["payout"] ?? "?") \(values["currency"] ?? "?")"
        }
    }

    func testAnAcceptedPayoutIsPaidFromTheAcceptAndStaysThroughStageChanges() async throws {
        let accepted = try await delivered(1, offer: "acc", state: .accepted)
        _ = await sender().sendDue(now: Self.now + 3)
        try await stage(1, offer: "acc", .approve)
        _ = await sender().sendDue(now: Self.now + 4)
        let rejected = try await delivered(2, offer: "acc", state: .rejected)
        _ = await sender().sendDue(now: Self.now + 5)
        XCTAssertEqual(received(accepted), ["accepted 25 EUR", "approved 25 EUR"])
        XCTAssertEqual(received(rejected), ["rejected 0 EUR"], "a lead that earns nothing: 0 in the offer's currency")
    }

    func testAnApprovedPayoutIsZeroAtTheAcceptPaidAtApproveAndTakenBackByTrash() async throws {
        let lead = try await delivered(1, offer: "app", state: .accepted)
        _ = await sender().sendDue(now: Self.now + 3)
        try await stage(1, offer: "app", .wait)
        _ = await sender().sendDue(now: Self.now + 4)
        try await stage(1, offer: "app", .approve)
        _ = await sender().sendDue(now: Self.now + 5)
        try await stage(1, offer: "app", .trash)
        _ = await sender().sendDue(now: Self.now + 6)
        XCTAssertEqual(received(lead), ["accepted 0 USD", "pending 0 USD", "approved 10.5 USD", "declined 0 USD"])
    }

    func testAnOfferWithoutAPayoutLeavesBothEmpty() async throws {
        let lead = try await delivered(1, offer: "none", state: .accepted)
        try await stage(1, offer: "none", .approve)
        _ = await sender().sendDue(now: Self.now + 3)
        XCTAssertEqual(received(lead).sorted(), ["accepted  ", "approved  "])
    }

    func testTheValueIsFixedWhenQueuedSoARetryAfterAPayoutChangeSendsTheSame() async throws {
        receiver.answer([500])
        let lead = try await delivered(1, offer: "acc", state: .accepted)
        let first = await sender().sendDue(now: Self.now + 3)
        XCTAssertEqual(first.map(\.result), [.retry])
        try await store.save(
            StoredOffer(id: "acc", name: "Paid on accept", payout: Payout(amount: 99, currency: "GBP", basis: .accepted)))
        let second = await sender().sendDue(now: Self.now + 5 + 31)
        XCTAssertEqual(second.map(\.result), [.sent])
        XCTAssertEqual(received(lead), ["accepted 25 EUR", "accepted 25 EUR"], "the retry carries the value of the event")
    }

    func testAmountsArePlainDecimalsWithoutExponentOrGrouping() {
        let values = PostbackEvent.accepted.values(
            leadID: "L1", subID: nil, clickID: nil, payout: Amount(value: Decimal(string: "1234567.125")!, currency: "EUR"))
        XCTAssertEqual(values[.payout], "1234567.125")
        let tiny = PostbackEvent.accepted.values(
            leadID: "L1", subID: nil, clickID: nil, payout: Amount(value: Decimal(string: "0.000001")!, currency: "EUR"))
        XCTAssertEqual(tiny[.payout], "0.000001")
        let none = PostbackEvent.accepted.values(leadID: "L1", subID: nil, clickID: nil, payout: nil)
        XCTAssertEqual([none[.payout], none[.currency]], ["", ""])
    }
}
