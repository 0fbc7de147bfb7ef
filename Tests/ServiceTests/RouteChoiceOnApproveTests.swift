import IntegrationRuntime
import XCTest

@testable import LeadRelayService

/// The offer's on-approve route takes no push, whatever its priority.
final class RouteChoiceOnApproveTests: XCTestCase {
    func testTheOnApproveRouteIsPassedOverForPushes() {
        var onApprove = OfferRoute(id: 1, offerID: "7", integration: "altercpa", priority: 0, postbackToken: "t1")
        onApprove.onApprove = true
        let push = OfferRoute(id: 2, offerID: "7", integration: "altercpa", priority: 5, postbackToken: "t2")
        let both = RouteChoice.decide(
            offerID: "7", [.init(route: onApprove, loaded: true, load: 0), .init(route: push, loaded: true, load: 0)], country: "DE",
            tried: [], lastOutcome: nil, now: 0)
        XCTAssertEqual(both, .deliver(push))
        let alone = RouteChoice.decide(
            offerID: "7", [.init(route: onApprove, loaded: true, load: 0)], country: "DE", tried: [], lastOutcome: nil, now: 0)
        guard case .noRoute = alone else { return XCTFail("an offer with only its on-approve route has no push route: \(alone)") }
    }
}
