import Host
import IntegrationRuntime
import NetworkEmulators
import XCTest

final class TrackboxEndToEndTests: EndToEndTestCase {
    func trackbox(_ configure: (inout EmulatorServer.Configuration) -> Void = { _ in }) async throws -> (EmulatorHarness, ScriptHarness) {
        let h = try await start {
            $0.trackboxPageLimit = 2
            configure(&$0)
        }
        let c = h.credentials
        let s = try script(
            "trackbox", emulators: h,
            params: [
                "base_url": h.server.baseURL(.trackbox), "username": c.trackboxUsername, "password": c.trackboxPassword,
                "api_key": c.trackboxAPIKey, "pull_api_key": c.trackboxPullAPIKey, "ai": "1", "gi": "1",
            ])
        return (h, s)
    }

    func testPushRegisterAndStatusChecks() async throws {
        let (h, s) = try await trackbox()
        let pushed = await s.deliver(.push)
        XCTAssertEqual(pushed?.kind, .accepted, pushed?.message ?? "")
        let id = try XCTUnwrap(pushed?.externalID)
        let registered = await s.deliver(.register, ScriptHarness.lead(["email": "reg@example.com"]))
        XCTAssertEqual(registered?.kind, .accepted)
        XCTAssertNotNil(registered?.redirectURL)
        _ = await s.deliver(.push, ScriptHarness.lead(["email": "third@example.com"]))

        var processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.map(\.externalID), [id])
        XCTAssertEqual(processing.updates?.first?.status, "New")
        h.clock.advance(by: 200)
        processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.first?.stage, .approve)
        XCTAssertEqual(processing.updates?.first?.status, "FTD")
        let range = await s.check(.range, from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")
        XCTAssertEqual(range.updates?.count, 3)
        XCTAssertEqual(range.exchanges.count, 2, "two pages of 2")
    }

    func testDocumentedErrorPaths() async throws {
        let (_, s) = try await trackbox()
        _ = await s.deliver(.push)
        let duplicate = await s.deliver(.push)
        XCTAssertEqual(duplicate?.reason, .duplicate)
        let badPhone = await s.deliver(.push, ScriptHarness.lead(["email": "p@example.com", "phone": "+12"]))
        XCTAssertEqual(badPhone?.reason, .invalidData)
        let blocked = await s.deliver(.push, ScriptHarness.lead(["email": "kp@example.com", "ip": "175.45.176.20"]))
        XCTAssertEqual(blocked?.reason, .blockedCountry, "the box geolocates userip: \(blocked?.message ?? "")")
        let unauthorized = await s.deliver(.push, ScriptHarness.lead(["email": "u@example.com"]), params: ["password": "wrong"])
        XCTAssertEqual(unauthorized?.reason, .unauthorized)
        var badPull = s.params
        badPull["pull_api_key"] = "wrong"
        let refused = await s.pool.run(
            CallInput(
                action: .status, subject: .status(.range(from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")),
                params: badPull, now: s.now))
        XCTAssertEqual(refused.outcome?.kind, .retry)
        XCTAssertEqual(refused.outcome?.reason, .unauthorized)
    }

    /// The emulators' postbacks, as a network would send them to the URL the header of
    /// trackbox.lua documents, become updates through the postback action. The emulators'
    /// own `stage` and `state` parameters are dropped: the script maps `status` itself.
    func testEmulatorPostbacksBecomeUpdates() async throws {
        let receiver = try PostbackReceiver()
        defer { receiver.stop() }
        let (h, s) = try await trackbox { $0.postbackURL = receiver.url("/postback/trackbox/1") }
        try await receiver.assertPostbacksBecomeUpdates(h, s, waitStatus: "No Answer", depositStatus: "FTD")
    }

    /// Trackbox documents no call for update or approved: both end as outcome error
    /// naming the unsupported action, and nothing reaches the network.
    func testUpdateAndApprovedAreUnsupported() async throws {
        let (h, s) = try await trackbox()
        await s.assertUnsupported(.update)
        await s.assertUnsupported(.approved)
        XCTAssertTrue(h.server.store.leads(.trackbox).isEmpty)
    }
}
