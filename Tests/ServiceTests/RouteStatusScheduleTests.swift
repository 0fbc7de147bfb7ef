import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// A route's status schedule as ops give it: CLI options, the admin API's `status` object,
/// and `RouteSetup`'s check.
final class RouteStatusScheduleTests: XCTestCase {
    func testTheCLIFormReadsChecksAndDurationsAndKeepsDefaults() throws {
        let schedule = try AdminInput.statusSchedule(checks: "processing, range", every: "30s", range: "2h")
        XCTAssertEqual(schedule.checks, [.processing, .range])
        XCTAssertEqual(schedule.intervalSeconds, 30)
        XCTAssertEqual(schedule.rangeSeconds, 7_200)
        XCTAssertEqual(schedule.windowSeconds, StatusSchedule.defaultWindowSeconds)
        XCTAssertEqual(try AdminInput.statusSchedule(checks: "none").checks, [])
        XCTAssertEqual(try AdminInput.statusSchedule(), StatusSchedule())
        XCTAssertThrowsError(try AdminInput.statusSchedule(checks: "procesing")) { error in
            XCTAssertTrue("\(error)".contains("did you mean processing"), "\(error)")
        }
        XCTAssertThrowsError(try AdminInput.statusSchedule(every: "0.5s")) { error in
            XCTAssertTrue("\(error)".contains("at least 1"), "\(error)")
        }
    }

    func testTheAdminAPIFormIsTheShapeRoutesAreShownIn() throws {
        let body = AdminBody(fields: ["status": .object(["checks": .array(["approved"]), "interval": .integer(60)])])
        let schedule = try body.statusSchedule()
        XCTAssertEqual(schedule.checks, [.approved])
        XCTAssertEqual(schedule.intervalSeconds, 60)
        let route = OfferRoute(offerID: "7", integration: "irev", postbackToken: "t", status: schedule)
        XCTAssertEqual(route.displayed["status"]?["checks"], .array(["approved"]))
        XCTAssertEqual(route.displayed["status"]?["interval"], .number(60))
        let wrong = AdminBody(fields: ["status": .object(["checks": .array(["sometimes"])])])
        XCTAssertThrowsError(try wrong.statusSchedule()) { error in
            guard case .invalid(let field, _) = error as? AdminError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "status.checks")
        }
        XCTAssertEqual(try AdminBody(fields: [:]).statusSchedule(), StatusSchedule(), "absent: the defaults")
    }

    func testRouteSetupRefusesAScheduleThatCannotRunAndKeepsAGoodOne() throws {
        let manifest = try BundledManifests.manifest("clixnow")
        let setup = RouteSetup(names: { ["clixnow"] }, manifest: { $0 == "clixnow" ? manifest : nil })
        let params: [String: JSONValue] = ["base_url": "https://crm.example", "api_token": "token-1234"]
        var request = RouteRequest(offerID: "7", integration: "clixnow", params: params)
        request.status = StatusSchedule(checks: [.processing], intervalSeconds: 0)
        XCTAssertThrowsError(try setup.route(for: request)) { error in
            XCTAssertTrue("\(error)".contains("status interval"), "\(error)")
        }
        request.status = StatusSchedule(checks: [.range], intervalSeconds: 120)
        XCTAssertEqual(try setup.route(for: request).route.status, request.status)
    }
}
