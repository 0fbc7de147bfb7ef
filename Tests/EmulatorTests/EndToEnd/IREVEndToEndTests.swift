import Host
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import XCTest

final class IREVEndToEndTests: EndToEndTestCase {
    func irev(_ configure: (inout EmulatorServer.Configuration) -> Void = { _ in }) async throws -> (EmulatorHarness, ScriptHarness) {
        let h = try await start(configure)
        let s = try script(
            "irev", emulators: h,
            params: [
                "base_url": h.server.baseURL(.irev), "api_token": h.credentials.irevToken, "affiliate_id": "2", "offer_id": "1",
            ])
        return (h, s)
    }

    /// A processing or approved check for leads given as (our lead id, external_id).
    func check(_ s: ScriptHarness, _ check: StatusCheck, _ leads: [(id: String, externalID: String)]) async -> CallResult {
        let items: [JSONValue] = leads.map {
            .object(["id": .string($0.id), "external_id": .string($0.externalID), "created_at": "2026-01-01T00:00:00Z"])
        }
        return await s.pool.run(
            CallInput(
                action: .status, subject: .status(check == .processing ? .processing(leads: items) : .approved(leads: items)),
                params: s.params, now: s.now))
    }

    /// The listing's `uuid` is a conversion UUID (seed 004), one per row, so the checks
    /// find the lead by the lead id the push sent in the Lead Profile key `aff_sub`, which
    /// the listing echoes. (Failed before: the script matched `uuid` against lead_uuid and
    /// found nothing once the sandbox gave each conversion its own uuid.)
    func testPushRegisterAndStatusChecks() async throws {
        let (h, s) = try await irev()
        let pushed = await s.deliver(.push)
        XCTAssertEqual(pushed?.kind, .accepted, pushed?.message ?? "")
        let id = try XCTUnwrap(pushed?.externalID)
        XCTAssertEqual(pushed?.extra?["advertiser_name"], "Sandbox Advertiser")
        let registered = await s.deliver(.register, ScriptHarness.lead(["email": "reg@example.com", "id": "L-1002"]))
        XCTAssertEqual(registered?.kind, .accepted)
        XCTAssertTrue(registered?.redirectURL?.hasPrefix(h.server.baseURL(.irev) + "/autologin/") ?? false)

        let lead = (id: "L-1001", externalID: id)
        var processing = await check(s, .processing, [lead])
        XCTAssertEqual(processing.updates?.map(\.stage), [.wait], processing.outcome?.message ?? "")
        XCTAssertEqual(processing.updates?.first?.externalID, id)
        XCTAssertEqual(processing.updates?.first?.status, "Pushed Lead")
        h.clock.advance(by: 200)
        processing = await check(s, .processing, [lead])
        XCTAssertEqual(processing.updates?.map(\.stage), [.approve], "the FTD row wins")
        let approved = await check(s, .approved, [lead])
        XCTAssertEqual(approved.updates?.map(\.externalID), [id], approved.outcome?.message ?? "")
        XCTAssertEqual(approved.updates?.first?.status, "FTD")
        let other = await check(s, .processing, [(id: "L-9999", externalID: "not-a-pushed-uuid")])
        XCTAssertEqual(other.updates?.count, 0, "a lead id the listing does not echo matches nothing")

        // A range check has no leads to match: the rows carry no lead_uuid (as in the seed's
        // example), so each lead is named by the lead id the listing echoes (lead_id).
        let range = await s.pool.run(
            CallInput(
                action: .status, subject: .status(.range(from: "2025-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z")),
                params: s.params, now: s.now))
        let byLead = Dictionary((range.updates ?? []).compactMap { u in u.leadID.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byLead.keys.sorted(), ["L-1001", "L-1002"], range.outcome?.message ?? "")
        XCTAssertEqual(byLead["L-1001"]?.stage, .approve, "the FTD row wins")
    }

    func testDocumentedErrorPaths() async throws {
        let (_, s) = try await irev()
        let noIP = await s.deliver(.push, ScriptHarness.lead(["ip": .null]))
        XCTAssertEqual(noIP?.kind, .rejected)
        XCTAssertEqual(noIP?.reason, .invalidData)
        let blocked = await s.deliver(.push, ScriptHarness.lead(["country": "KP", "email": "kp@example.com"]))
        XCTAssertEqual(blocked?.reason, .blockedCountry)
        _ = await s.deliver(.push)
        let duplicate = await s.deliver(.push, ScriptHarness.lead(["id": "L-2002"]))
        XCTAssertEqual(duplicate?.reason, .duplicate)
        let identical = await s.deliver(.push, ScriptHarness.lead(["id": "L-2002"]))
        XCTAssertEqual(identical?.kind, .retry, "same body within 2 minutes")
        XCTAssertEqual(identical?.reason, .rateLimited)
        XCTAssertGreaterThanOrEqual(identical?.retryAfter ?? 0, 120)
        let unauthorized = await s.deliver(.push, ScriptHarness.lead(["email": "u@example.com"]), params: ["api_token": "wrong"])
        XCTAssertEqual(unauthorized?.reason, .unauthorized)
        var badParams = s.params
        badParams["api_token"] = "wrong"
        let check = await s.pool.run(
            CallInput(
                action: .status, subject: .status(.range(from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")),
                params: badParams, now: s.now))
        XCTAssertEqual(check.outcome?.kind, .retry)
        XCTAssertEqual(check.outcome?.reason, .unauthorized)
    }

    /// The emulators' postbacks, as a network would send them to the URL the header of
    /// irev.lua documents, become updates through the postback action. The emulators'
    /// own `stage` and `state` parameters are dropped: the script maps `status` itself.
    func testEmulatorPostbacksBecomeUpdates() async throws {
        let receiver = try PostbackReceiver()
        defer { receiver.stop() }
        let (h, s) = try await irev { $0.postbackURL = receiver.url("/postback/irev/1") }
        try await receiver.assertPostbacksBecomeUpdates(h, s, waitStatus: "Pushed Lead", depositStatus: "FTD")
    }

    /// IREV documents no call for update or approved: both end as outcome error
    /// naming the unsupported action, and nothing reaches the network.
    func testUpdateAndApprovedAreUnsupported() async throws {
        let (h, s) = try await irev()
        await s.assertUnsupported(.update)
        await s.assertUnsupported(.approved)
        XCTAssertTrue(h.server.store.leads(.irev).isEmpty)
    }
}
