import IntegrationRuntime
import XCTest

@testable import LeadRelayService

/// The choice among an offer's routes, without a store.
final class RouteChoiceTests: XCTestCase {
    let monday10 = WorkingHoursTests.utc("2026-12-07T10:00:00Z")

    func route(_ id: Int64, countries: Set<String> = [], cap: Int? = nil, hours: String? = nil, enabled: Bool = true) -> OfferRoute {
        OfferRoute(
            id: id, offerID: "7", integration: "net\(id)", priority: Int(id), dailyCap: cap, countries: countries, enabled: enabled,
            hours: hours.flatMap(WorkingHours.init), postbackToken: "t\(id)")
    }

    func choose(
        _ candidates: [RouteChoice.Candidate], country: String? = "DE", tried: Set<Int64> = [], last: Outcome? = nil, at now: Double? = nil
    ) -> RouteChoice.Choice {
        RouteChoice.decide(offerID: "7", candidates, country: country, tried: tried, lastOutcome: last, now: now ?? monday10)
    }

    func delivered(_ choice: RouteChoice.Choice) -> Int64? {
        if case .deliver(let route) = choice { return route.id }
        return nil
    }

    func testTheFirstEligibleRouteByPriority() {
        let routes: [RouteChoice.Candidate] = [
            .init(route: route(1, enabled: false), loaded: true, load: 0),
            .init(route: route(2), loaded: false, load: 0),
            .init(route: route(3, countries: ["AT"]), loaded: true, load: 0),
            .init(route: route(4, cap: 5), loaded: true, load: 5),
            .init(route: route(5), loaded: true, load: 0),
            .init(route: route(6), loaded: true, load: 0),
        ]
        XCTAssertEqual(delivered(choose(routes)), 5)
        XCTAssertEqual(delivered(choose(routes, tried: [5])), 6, "a route that rejected the lead is passed over")
        XCTAssertEqual(delivered(choose(routes, country: "AT")), 3)
    }

    func testHoldUntilTheFirstWindowOpens() {
        let routes: [RouteChoice.Candidate] = [
            .init(route: route(1, hours: "Mon-Fri 12:00-18:00 UTC"), loaded: true, load: 0),
            .init(route: route(2, hours: "Mon-Fri 11:00-12:00 UTC"), loaded: true, load: 0),
        ]
        XCTAssertEqual(choose(routes), .hold(until: WorkingHoursTests.utc("2026-12-07T11:00:00Z")))
        XCTAssertEqual(delivered(choose(routes, at: WorkingHoursTests.utc("2026-12-07T11:30:00Z"))), 2)
    }

    func testEveryRouteCappedRejectsCapReached() {
        let routes: [RouteChoice.Candidate] = [
            .init(route: route(1, cap: 10), loaded: true, load: 10), .init(route: route(2, cap: 1), loaded: true, load: 3),
        ]
        guard case .reject(let outcome) = choose(routes) else { return XCTFail("not rejected") }
        XCTAssertEqual(outcome.kind, .rejected)
        XCTAssertEqual(outcome.reason, .capReached)
    }

    func testNoRouteForTheCountryIsBlockedCountryAndNoUsableRouteIsNoRoute() {
        let routes: [RouteChoice.Candidate] = [.init(route: route(1, countries: ["AT", "CH"]), loaded: true, load: 0)]
        guard case .reject(let outcome) = choose(routes, country: "DE") else { return XCTFail("not rejected") }
        XCTAssertEqual(outcome.reason, .blockedCountry)
        guard case .reject = choose(routes, country: nil) else { return XCTFail("a lead with no country is not taken by a country route") }
        guard case .noRoute(let message) = choose([.init(route: route(1), loaded: false, load: 0)]) else { return XCTFail("a route") }
        XCTAssertTrue(message.contains("offer 7 has no enabled route"), message)
        guard case .noRoute = choose([]) else { return XCTFail("a route") }
    }

    func testWhenEveryRouteRejectedTheLastRejectionStands() {
        let routes: [RouteChoice.Candidate] = [
            .init(route: route(1), loaded: true, load: 0), .init(route: route(2), loaded: true, load: 0),
        ]
        let last = Outcome(.rejected, reason: .capReached, message: "cap")
        XCTAssertEqual(choose(routes, tried: [1, 2], last: last), .reject(last))
    }
}
