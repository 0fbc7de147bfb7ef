import Host
import IntegrationRuntime
import NetworkEmulators
import XCTest

final class IREVEndToEndTests: EndToEndTestCase {
    func irev(_ configure: (inout EmulatorServer.Configuration) -> Void = { _ in }) async throws -> (EmulatorHarness, ScriptHarness) {
        let h = try await start(configure)
        let s = try script("irev", emulators: h, params: [
            "base_url": h.server.baseURL(.irev), "api_token": h.credentials.irevToken, "affiliate_id": "2", "offer_id": "1",
        ])
        return (h, s)
    }

    func testPushRegisterAndStatusChecks() async throws {
        let (h, s) = try await irev()
        let pushed = await s.deliver(.push)
        XCTAssertEqual(pushed?.kind, .accepted, pushed?.message ?? "")
        let id = try XCTUnwrap(pushed?.externalID)
        XCTAssertEqual(pushed?.extra?["advertiser_name"], "Sandbox Advertiser")
        let registered = await s.deliver(.register, ScriptHarness.lead(["email": "reg@example.com"]))
        XCTAssertEqual(registered?.kind, .accepted)
        XCTAssertTrue(registered?.redirectURL?.hasPrefix(h.server.baseURL(.irev) + "/autologin/") ?? false)

        var processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.map(\.stage), [.wait])
        XCTAssertEqual(processing.updates?.first?.status, "Lead")
        h.clock.advance(by: 200)
        processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.map(\.stage), [.approve], "the FTD row wins")
        let approved = await s.check(.approved, externalIDs: [id])
        XCTAssertEqual(approved.updates?.first?.externalID, id)
        let range = await s.check(.range, from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")
        XCTAssertEqual(Set(range.updates?.map(\.externalID) ?? []).count, 2)
    }

    func testDocumentedErrorPaths() async throws {
        let (_, s) = try await irev()
        let noIP = await s.deliver(.push, ScriptHarness.lead(["ip": .null]))
        XCTAssertEqual(noIP?.kind, .rejected)
        XCTAssertEqual(noIP?.reason, .invalidData)
        let blocked = await s.deliver(.push, ScriptHarness.lead(["country": "KP", "email": "kp@example.com"]))
        XCTAssertEqual(blocked?.reason, .blockedCountry)
        _ = await s.deliver(.push)
        let duplicate = await s.deliver(.push, ScriptHarness.lead(["sub_id": "other"]))
        XCTAssertEqual(duplicate?.reason, .duplicate)
        let identical = await s.deliver(.push, ScriptHarness.lead(["sub_id": "other"]))
        XCTAssertEqual(identical?.kind, .retry, "same body within 2 minutes")
        XCTAssertEqual(identical?.reason, .rateLimited)
        XCTAssertGreaterThanOrEqual(identical?.retryAfter ?? 0, 120)
        let unauthorized = await s.deliver(.push, ScriptHarness.lead(["email": "u@example.com"]), params: ["api_token": "wrong"])
        XCTAssertEqual(unauthorized?.reason, .unauthorized)
        var badParams = s.params
        badParams["api_token"] = "wrong"
        let check = await s.pool.run(CallInput(action: .status, params: badParams, now: s.now, check: .range,
                                               from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z"))
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
        try await receiver.assertPostbacksBecomeUpdates(h, s, waitStatus: "Lead", depositStatus: "FTD")
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
