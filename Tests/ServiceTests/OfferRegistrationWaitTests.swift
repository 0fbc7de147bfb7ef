import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// An offer's registration wait: a post without `?wait=` waits that long for the routes'
/// `register` action and answers synchronously; `?wait=0` forces an asynchronous post.
final class OfferRegistrationWaitTests: XCTestCase {
    func testAPostWithoutWaitWaitsTheOffersRegistrationWait() async throws {
        let harness = try await ChangeHarness(label: "wait")
        let read = try await harness.store.offer(id: "7")
        var offer = try XCTUnwrap(read)
        offer.registrationWait = 10
        try await harness.store.save(offer)
        try await harness.start()
        let (status, json) = try await harness.post(phone: "4915112340041")
        XCTAssertEqual(status, 200, "\(String(describing: json))")
        XCTAssertEqual(json?["success"], .bool(true))
        XCTAssertNotNil(json?["autoLoginUrl"]?.stringValue, "the synchronous answer with the login URL")
        let id = try XCTUnwrap(json?["id"]?.stringValue)
        let lead = try await harness.store.lead(id: id)
        XCTAssertEqual(lead?.action, .register)

        let (forced, answer) = try await harness.post(phone: "4915112340042", query: "?wait=0")
        XCTAssertEqual(forced, 202, "?wait=0 forces an asynchronous post: \(String(describing: answer))")
        let pushed = try await harness.store.lead(id: try XCTUnwrap(answer?["id"]?.stringValue))
        XCTAssertEqual(pushed?.action, .push)
        await harness.stop()
    }

    func testTheAdministrationKeepsTheWaitWithinTheLongestWait() async throws {
        let temporary = try TemporaryDirectory("wait-admin")
        defer { temporary.remove() }
        let store = try temporary.sealedStore()
        let admin = Administration(store: store, routes: .none)
        let offer = try await admin.createOffer(id: "9", name: "Sync", registrationWait: 20)
        XCTAssertEqual(offer.registrationWait, 20)
        XCTAssertEqual(offer.displayed["registration_wait_seconds"], .number(20))
        let changed = try await admin.setOffer("9", registrationWait: 0)
        let read = try await store.offer(id: "9")
        XCTAssertEqual(changed.registrationWait, 0)
        XCTAssertEqual(read?.registrationWait, 0)
        do {
            _ = try await admin.setOffer("9", registrationWait: 61)
            XCTFail("more than the longest ?wait=")
        } catch {
            XCTAssertTrue("\(error)".contains("registration_wait_seconds"), "\(error)")
        }
    }
}
