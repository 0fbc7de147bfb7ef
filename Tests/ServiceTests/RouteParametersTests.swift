import IntegrationRuntime
import LeadJSON
import XCTest

@testable import LeadRelayService

/// Route parameters checked against the bundled scripts' manifests (issue 12, point 3).
final class RouteParametersTests: XCTestCase {
    func problems(_ given: [String: JSONValue], _ integration: String) throws -> [RouteParameterProblem] {
        do {
            _ = try RouteParameters(given, manifest: try BundledManifests.manifest(integration))
            XCTFail("\(given) was taken for \(integration)")
            return []
        } catch let error as RouteSetupError {
            guard case .invalidParameters(let name, let problems) = error else { XCTFail("\(error)"); return [] }
            XCTAssertEqual(name, integration)
            return problems
        }
    }

    func testTrackboxParamsAreTakenAndItsSecretsComeFromTheManifest() throws {
        let given: [String: JSONValue] = [
            "base_url": .string("https://platform.network.example"), "username": .string("ops"), "password": .string("pw-0123456789"),
            "api_key": .string("key-0123456789"), "ai": .string("2"), "gi": .string("3"), "so": .null,
        ]
        let checked = try RouteParameters(given, manifest: try BundledManifests.manifest("trackbox"))
        XCTAssertEqual(checked.secretNames, ["password", "api_key", "pull_api_key"])
        XCTAssertNil(checked.params["so"], "a null is left out: the declared default applies")
        XCTAssertEqual(checked.params["ai"], .string("2"))
        XCTAssertEqual(checked.warnings, [])
    }

    func testEveryMissingRequiredParamIsNamed() throws {
        let found = try problems(["base_url": .string("https://crm.example"), "api_key": .string("")], "trackbox")
        XCTAssertEqual(found.map(\.name), ["ai", "api_key", "gi", "password", "username"])
        XCTAssertTrue(found.allSatisfy { $0.code == "required" })
        XCTAssertTrue(found[0].description.contains("missing required parameter \"ai\": affiliate id on the box"), found[0].description)
    }

    func testAnUnknownParamIsNamedWithTheNearestKnownName() throws {
        let found = try problems(
            ["base_url": .string("https://x.example"), "api_tokn": .string("t-0123456789"), "colour": .string("red")], "irev")
        XCTAssertEqual(
            found,
            [
                .missing(name: "api_token", description: try BundledManifests.manifest("irev").param("api_token")?.description),
                .unknown(name: "api_tokn", suggestion: "api_token"), .unknown(name: "colour", suggestion: nil),
            ])
        XCTAssertEqual(found[1].description, "unknown parameter \"api_tokn\" (did you mean \"api_token\"?)")
        let cased = try problems(["BASE_URL": .string("https://x.example"), "api_token": .string("t-0123456789")], "irev")
        XCTAssertTrue(cased.contains(.unknown(name: "BASE_URL", suggestion: "base_url")), "\(cased)")
    }

    func testASecretMustBeText() throws {
        let found = try problems(
            ["base_url": .string("https://x.example"), "api_key": .integer(12345), "offer_id": .string("9")], "altercpa")
        XCTAssertEqual(found, [.wrongType(name: "api_key", expected: "a string", given: "a number")])
    }

    func testAValueMustHaveItsDefaultsType() throws {
        let folder = NSTemporaryDirectory() + "leadrelay-typed-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let manifest = try BundledManifests.manifest(
            declaring: "page_size = { default = 100 }, live = { default = false }, label = {}", in: folder)
        XCTAssertNoThrow(
            try RouteParameters(
                ["page_size": .integer(50), "live": .bool(true), "label": .array([.string("a"), .integer(1)])], manifest: manifest))
        XCTAssertThrowsError(try RouteParameters(["page_size": .string("50"), "live": .string("yes")], manifest: manifest)) { error in
            XCTAssertEqual(
                error as? RouteSetupError,
                .invalidParameters(
                    integration: "typed",
                    problems: [
                        .wrongType(name: "live", expected: "a boolean", given: "a string"),
                        .wrongType(name: "page_size", expected: "a number", given: "a string"),
                    ]))
        }
    }

    func testAShortSecretGivesAWarningNamingItOnly() throws {
        let checked = try RouteParameters(
            ["base_url": .string("https://x.example"), "api_token": .string("abc")], manifest: try BundledManifests.manifest("irev"))
        XCTAssertEqual(checked.warnings.count, 1)
        XCTAssertTrue(checked.warnings[0].contains("api_token"), checked.warnings[0])
        XCTAssertFalse(checked.warnings[0].contains("abc"), checked.warnings[0])
    }

    func testSetupRefusesAnUnknownIntegrationAndBadSettings() throws {
        let setup = RouteSetup(names: { ["irev", "trackbox"] }, manifest: { try? BundledManifests.manifest($0) })
        let params: [String: JSONValue] = ["base_url": .string("https://x.example"), "api_token": .string("t-0123456789")]
        XCTAssertThrowsError(try setup.route(for: RouteRequest(offerID: "7", integration: "irve", params: params))) { error in
            XCTAssertEqual(
                error as? RouteSetupError, .unknownIntegration("irve", suggestion: "irev", known: ["irev", "trackbox"]))
        }
        XCTAssertThrowsError(try setup.route(for: RouteRequest(offerID: "7", integration: "irev", params: params, countries: ["DEU"]))) {
            XCTAssertTrue("\($0)".contains("\"DEU\" is not an ISO 3166 alpha-2 code"), "\($0)")
        }
        XCTAssertThrowsError(try setup.route(for: RouteRequest(offerID: "7", integration: "irev", params: params, dailyCap: 0))) {
            XCTAssertTrue("\($0)".contains("daily cap: must be at least 1"), "\($0)")
        }
        let (route, _) = try setup.route(
            for: RouteRequest(offerID: "7", integration: "irev", params: params, priority: 2, countries: ["de", "AT"]))
        XCTAssertEqual(route.countries, ["DE", "AT"])
        XCTAssertEqual(route.secretParams, ["api_token"])
        XCTAssertEqual(route.postbackToken.count, 32)
        let other = try setup.route(for: RouteRequest(offerID: "7", integration: "irev", params: params)).route
        XCTAssertNotEqual(route.postbackToken, other.postbackToken)
        XCTAssertNil(other.hours, "always open by default")
        let timed = try setup.route(
            for: RouteRequest(offerID: "7", integration: "irev", params: params, hours: "Mon-Fri 09:00-18:00 Europe/Berlin"))
        XCTAssertEqual(timed.route.hours?.description, "Mon-Fri 09:00-18:00 Europe/Berlin")
        XCTAssertEqual(timed.route.displayed["hours"], .string("Mon-Fri 09:00-18:00 Europe/Berlin"))
        XCTAssertThrowsError(try setup.route(for: RouteRequest(offerID: "7", integration: "irev", params: params, hours: "9 to 5"))) {
            XCTAssertTrue("\($0)".contains("\"9 to 5\" is not DAYS HH:MM-HH:MM ZONE"), "\($0)")
        }
    }

    /// A route read back for display shows each secret as `***`, never its value.
    func testASecretIsShownAsStars() throws {
        let route = OfferStoreContract.route(token: "t-1", secret: "tok-SECRET-1")
        XCTAssertEqual(route.displayedParams["api_token"], .string("***"))
        XCTAssertEqual(route.displayedParams["base_url"], .string("https://crm.example"))
        XCTAssertFalse(route.displayed.encoded().contains("tok-SECRET-1"))
    }
}
