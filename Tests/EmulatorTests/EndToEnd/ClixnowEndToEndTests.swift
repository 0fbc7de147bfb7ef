import Host
import IntegrationRuntime
import NetworkEmulators
import OutboundHTTP
import XCTest

final class ClixnowEndToEndTests: EndToEndTestCase {
    func clixnow(
        pageSize: String = "1000",
        _ configure: (inout EmulatorServer.Configuration) -> Void = { _ in }
    ) async throws -> (EmulatorHarness, ScriptHarness) {
        let h = try await start(configure)
        let s = try script(
            "clixnow", emulators: h,
            params: [
                "base_url": h.server.baseURL(.clixnow) + "/api/system/v1", "api_token": h.credentials.clixnowToken,
                "page_size": pageSize,
            ])
        return (h, s)
    }

    func testPushRegisterAndStatusChecks() async throws {
        let (h, s) = try await clixnow(pageSize: "2")
        let pushed = await s.deliver(.push)
        XCTAssertEqual(pushed?.kind, .accepted, pushed?.message ?? "")
        let id = try XCTUnwrap(pushed?.externalID)
        let crmID = try XCTUnwrap(pushed?.extra?["crm_id"]?.stringValue)
        XCTAssertNotNil(Int64(crmID), "seed 003: crmId is an integer; the script keeps it as text: \(crmID)")
        let registered = await s.deliver(.register, ScriptHarness.lead(["email": "reg@example.com", "password": .null]))
        XCTAssertEqual(registered?.kind, .accepted, "a generated password passes Clixnow's rule")
        let url = try XCTUnwrap(registered?.redirectURL)
        let page = await h.client.perform(OutboundRequest(method: "GET", url: url))
        XCTAssertEqual(page.status, 200)
        _ = await s.deliver(.push, ScriptHarness.lead(["email": "third@example.com"]))

        var processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.first?.status, "New")
        XCTAssertEqual(processing.updates?.first?.stage, .wait)
        h.clock.advance(by: 60)
        processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.first?.status, "No Answer")
        h.clock.advance(by: 120)
        let approved = await s.check(.approved, externalIDs: [id, "999"])
        XCTAssertEqual(approved.updates?.count, 1)
        XCTAssertEqual(approved.updates?.first?.stage, .approve)
        XCTAssertEqual(approved.updates?.first?.status, "FTD")
        let range = await s.check(.range, from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")
        XCTAssertEqual(range.updates?.count, 3, "two pages of count=2")
        XCTAssertEqual(range.exchanges.count, 2)
    }

    func testDocumentedErrorPaths() async throws {
        let (_, s) = try await clixnow()
        _ = await s.deliver(.push)
        let duplicate = await s.deliver(.push)
        XCTAssertEqual(duplicate?.kind, .rejected)
        XCTAssertEqual(duplicate?.reason, .duplicate)
        let weak = await s.deliver(.push, ScriptHarness.lead(["email": "w@example.com", "password": "short"]))
        XCTAssertEqual(weak?.reason, .invalidData, "refused before sending")
        let badPhone = await s.deliver(.push, ScriptHarness.lead(["email": "p@example.com", "phone": "+12"]))
        XCTAssertEqual(badPhone?.reason, .invalidData)
        let forbidden = await s.deliver(.push, ScriptHarness.lead(["email": "kp@example.com", "country": "KP"]))
        XCTAssertEqual(forbidden?.kind, .rejected)
        XCTAssertEqual(forbidden?.reason, .blockedCountry, "a 403 naming the country: \(forbidden?.message ?? "")")
        let spaced = await s.deliver(.push, ScriptHarness.lead(["email": "s@example.com", "password": "pass word"]))
        XCTAssertEqual(spaced?.kind, .accepted, "script and emulator agree that a space is a special character")
        let unauthorized = await s.deliver(.push, ScriptHarness.lead(["email": "u@example.com"]), params: ["api_token": "wrong"])
        XCTAssertEqual(unauthorized?.reason, .unauthorized)
    }

    /// range_by=modified reads the leads whose status changed in the window (seed 003:
    /// modifiedOnFrom/To "filter by update date and time"), not those created in it.
    func testRangeByModifiedDate() async throws {
        let (h, s) = try await clixnow()
        _ = await s.deliver(.push)
        h.clock.advance(by: 90)
        var params = s.params
        params["range_by"] = "modified"
        let window = (from: "2026-01-01T00:00:30Z", to: "2026-01-01T00:05:00Z")
        let modified = await s.pool.run(
            CallInput(
                action: .status, subject: .status(.range(from: window.from, to: window.to)),
                params: params, now: s.now))
        XCTAssertEqual(modified.updates?.map(\.status), ["No Answer"])
        let created = await s.check(.range, from: window.from, to: window.to)
        XCTAssertEqual(created.updates?.count, 0, "created at 00:00:00, outside the creation window")
    }

    /// The emulators' postbacks, as a network would send them to the URL the header of
    /// clixnow.lua documents, become updates through the postback action. The emulators'
    /// own `stage` and `state` parameters are dropped: the script maps `status` itself.
    func testEmulatorPostbacksBecomeUpdates() async throws {
        let receiver = try PostbackReceiver()
        defer { receiver.stop() }
        let (h, s) = try await clixnow(pageSize: "1000") { $0.postbackURL = receiver.url("/postback/clixnow/1") }
        try await receiver.assertPostbacksBecomeUpdates(h, s, waitStatus: "No Answer", depositStatus: "Deposited")
    }

    /// Clixnow documents no call for update or approved: both end as outcome error
    /// naming the unsupported action, and nothing reaches the network.
    func testUpdateAndApprovedAreUnsupported() async throws {
        let (h, s) = try await clixnow()
        await s.assertUnsupported(.update)
        await s.assertUnsupported(.approved)
        XCTAssertTrue(h.server.store.leads(.clixnow).isEmpty)
    }
}
