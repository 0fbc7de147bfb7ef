import Host
import IntegrationRuntime
import NetworkEmulators
import XCTest

final class AlterCPAEndToEndTests: EndToEndTestCase {
    func altercpa(_ configure: (inout EmulatorServer.Configuration) -> Void = { _ in }) async throws -> (EmulatorHarness, ScriptHarness) {
        let h = try await start(configure)
        let s = try script(
            "altercpa", emulators: h,
            params: [
                "base_url": h.server.baseURL(.altercpa), "api_key": h.credentials.altercpaKey, "offer_id": "1",
                "merchant_key": h.credentials.altercpaMerchantKey,
            ])
        return (h, s)
    }

    func testPushRegisterAndStatusChecks() async throws {
        let (h, s) = try await altercpa()
        let pushed = await s.deliver(.push)
        XCTAssertEqual(pushed?.kind, .accepted, pushed?.message ?? "")
        let id = try XCTUnwrap(pushed?.externalID)
        let registered = await s.deliver(.register, ScriptHarness.lead(["id": "L-2", "phone": "+49 151 0000000"]))
        XCTAssertEqual(registered?.kind, .accepted)
        XCTAssertNotNil(registered?.redirectURL)

        var processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.first?.stage, .wait)
        h.clock.advance(by: 60)
        processing = await s.check(.processing, externalIDs: [id])
        XCTAssertEqual(processing.updates?.first?.stage, .hold)
        h.clock.advance(by: 120)
        let approved = await s.check(.approved, externalIDs: [id])
        XCTAssertEqual(approved.updates?.first?.stage, .approve)
        XCTAssertEqual(approved.updates?.first?.at, "2026-01-01T00:03:00Z")
        let range = await s.check(.range, from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")
        XCTAssertEqual(range.updates?.count, 2)
    }

    func testDocumentedErrorPaths() async throws {
        let (_, s) = try await altercpa()
        _ = await s.deliver(.push)
        let duplicate = await s.deliver(.push)
        XCTAssertEqual(duplicate?.reason, .duplicate)
        let blocked = await s.deliver(.push, ScriptHarness.lead(["phone": "850123456789", "country": "KP"]))
        XCTAssertEqual(blocked?.reason, .blockedCountry)
        let badPhone = await s.deliver(.push, ScriptHarness.lead(["phone": "12"]))
        XCTAssertEqual(badPhone?.reason, .invalidData)
        let unauthorized = await s.deliver(.push, ScriptHarness.lead(["phone": "4915100000001"]), params: ["api_key": "1-wrong"])
        XCTAssertEqual(unauthorized?.reason, .unauthorized)
        let badOffer = await s.deliver(.push, ScriptHarness.lead(["phone": "4915100000002"]), params: ["offer_id": "none"])
        XCTAssertEqual(badOffer?.reason, .unknown)
    }

    /// An upsell of a pushed lead: edit.json with its id changes the lead the network holds.
    func testUpdateChangesTheStoredLead() async throws {
        let (h, s) = try await altercpa()
        let pushed = await s.deliver(.push)
        let id = try XCTUnwrap(pushed?.externalID)
        let upsell = ScriptHarness.lead([
            "external_id": .string(id), "comment": "upsell: second pack", "currency": "EUR",
            "items": .array([.object(["sku": "X-1", "count": 3, "price": .number(45.0)])]),
            "address": .object(["city": "Berlin", "street": "Unter den Linden 1", "zip": "10117"]),
        ])
        let updated = await s.deliver(.update, upsell)
        XCTAssertEqual(updated?.kind, .accepted, updated?.message ?? "")
        XCTAssertEqual(updated?.externalID, id)
        let stored = try XCTUnwrap(h.server.store.lead(.altercpa, id: id)).fields
        XCTAssertEqual(stored["comm"], "upsell: second pack")
        XCTAssertEqual(stored["count"], "3")
        XCTAssertEqual(stored["base"], "45")
        XCTAssertEqual(stored["currency"], "EUR")
        XCTAssertEqual(stored["city"], "Berlin")
        XCTAssertEqual(stored["uid"], "L-1001", "the order id of the push is kept")
        XCTAssertEqual(h.server.store.leads(.altercpa).count, 1, "an update adds no lead")
    }

    func testUpdateOfAnUnknownIDIsRejected() async throws {
        let (h, s) = try await altercpa()
        let updated = await s.deliver(.update, ScriptHarness.lead(["external_id": "424242", "comment": "upsell"]))
        XCTAssertEqual(updated?.kind, .rejected)
        XCTAssertEqual(updated?.reason, .unknown)
        XCTAssertTrue(updated?.message?.contains("no such order") ?? false, updated?.message ?? "")
        XCTAssertTrue(h.server.store.leads(.altercpa).isEmpty)
    }

    /// An approved lead goes to the merchant API as a new order, even when the agency
    /// already pushed the same phone, with its goods and prices.
    func testApprovedAddsAnOrderWithPrices() async throws {
        let (h, s) = try await altercpa()
        let pushed = await s.deliver(.push)?.externalID
        XCTAssertNotNil(pushed)
        let order = ScriptHarness.lead([
            "currency": "EUR",
            "items": .array([
                .object(["sku": "X-1", "count": 2, "price": .number(49.0)]),
                .object(["sku": "501", "count": 1, "price": .number(9.9)]),
            ]),
            "address": .object(["city": "Berlin", "street": "Unter den Linden 1", "zip": "10117"]),
        ])
        let approved = await s.deliver(.approved, order)
        XCTAssertEqual(approved?.kind, .accepted, approved?.message ?? "")
        let id = try XCTUnwrap(approved?.externalID)
        XCTAssertNotEqual(id, pushed)
        let stored = try XCTUnwrap(h.server.store.lead(.altercpa, id: id)).fields
        XCTAssertEqual(stored["currency"], "EUR")
        XCTAssertEqual(stored["base"], "49")
        XCTAssertEqual(stored["count"], "2")
        XCTAssertEqual(stored["items[0][id]"], "501")
        XCTAssertEqual(stored["items[0][price]"], "9.9")
        XCTAssertEqual(stored["index"], "10117")
        XCTAssertNil(stored["uid"], "a merchant order has no source order id")
        XCTAssertNil(stored["wm"])
    }

    func testApprovedWithAWrongMerchantKeyIsUnauthorized() async throws {
        let (h, s) = try await altercpa()
        let approved = await s.deliver(.approved, params: ["merchant_key": "1-wrong"])
        XCTAssertEqual(approved?.kind, .rejected)
        XCTAssertEqual(approved?.reason, .unauthorized)
        XCTAssertTrue(h.server.store.leads(.altercpa).isEmpty)
    }

    /// Without merchant_key, approved ends as outcome error naming the param (the lead is kept
    /// for when the offer is fixed); the agency's api_key is not used on the merchant API.
    func testApprovedWithoutMerchantKeyIsAnError() async throws {
        let (h, s) = try await altercpa()
        var params = s.params
        params["merchant_key"] = nil
        let result = await s.pool.run(CallInput(action: .approved, subject: .lead(ScriptHarness.lead()), params: params, now: s.now))
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("merchant_key") ?? false, result.outcome?.message ?? "")
        XCTAssertTrue(h.server.store.leads(.altercpa).isEmpty, "nothing reached the network")
        let pushed = await s.pool.run(CallInput(action: .push, subject: .lead(ScriptHarness.lead()), params: params, now: s.now))
        XCTAssertEqual(pushed.outcome?.kind, .accepted, "push needs no merchant key")
    }

    /// The emulators' postback, fed to the script's postback action, is an update.
    func testPostbackParsesIntoAnUpdate() async throws {
        let receiver = try PostbackReceiver()
        defer { receiver.stop() }
        let (h, s) = try await altercpa { $0.postbackURL = receiver.url("/postback/altercpa/1") }
        let pushed = await s.deliver(.push)
        let id = try XCTUnwrap(pushed?.externalID)
        h.clock.advance(by: 180)
        let sent = await h.server.deliverDuePostbacks()
        XCTAssertEqual(sent, 1, "new -> deposited in one sweep is one postback")
        let request = try XCTUnwrap(receiver.requests.first)
        let result = await s.postback(receiver.inbound(request))
        let update = try XCTUnwrap(result.updates?.first)
        XCTAssertEqual(update.externalID, id)
        XCTAssertEqual(update.stage, .approve)
        XCTAssertEqual(update.amount, 10)
        XCTAssertEqual(update.currency, "USD")
    }
}
