import Foundation
import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// A route changed while the service runs is used from the dispatcher's next claim round,
/// with no restart.
final class RouteChangeRoutingTests: XCTestCase {
    func testTheRunningDispatcherRoutesWithAChangedRoute() async throws {
        let harness = try await ChangeHarness(label: "route-change")
        try await harness.start()
        let admin = Administration(store: harness.store, routes: RouteSetup(directory: harness.scripts))
        var austria = RouteChange()
        austria.countries = ["AT"]
        _ = try await admin.changeRoute(harness.push.id, austria)

        let (status, json) = try await harness.post(phone: "4915112340061")
        XCTAssertEqual(status, 202, "\(String(describing: json))")
        let blockedID = try XCTUnwrap(json?["id"]?.stringValue)
        let blocked = try await harness.eventually({ try await harness.store.lead(id: blockedID) }, until: { $0?.state.isFinal == true })
        XCTAssertEqual(blocked?.outcome?.reason, .blockedCountry, "the route takes AT only now")

        var everywhere = RouteChange()
        everywhere.countries = []
        let (changed, _) = try await admin.changeRoute(harness.push.id, everywhere)
        XCTAssertEqual(changed.postbackToken, harness.push.postbackToken)
        _ = try await harness.acceptedLead(phone: "4915112340062")
        await harness.stop()
    }
}
