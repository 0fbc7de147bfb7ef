import Host
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import XCTest

final class IREVEmulatorTests: EmulatorTestCase {
    let leads = "/irev/api/affiliates/v2/leads"

    func auth(_ h: EmulatorHarness) -> [(String, String)] { [("Authorization", h.credentials.irevToken)] }

    func lead(email: String = "anna@example.com", country: String = "DE", extra: [String: JSONValue] = [:]) -> JSONValue {
        var body: [String: JSONValue] = ["ip": "203.0.113.7", "country_code": .string(country), "email": .string(email),
                                         "first_name": "Anna", "last_name": "Schmidt", "phone": "+4915112345678"]
        body.merge(extra) { $1 }
        return .object(body)
    }

    func testAuthorizationErrors() async throws {
        let h = try await start()
        let missing = await h.send("POST", leads, json: lead())
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(missing.json()["type"], "ERROR_AUTHORIZATION")
        XCTAssertEqual(missing.json()["message"], "Unauthorized")
        let wrong = await h.send("POST", leads, headers: [("Authorization", "nope")], json: lead())
        XCTAssertEqual(wrong.json()["message"], "Token isn't active")
        XCTAssertEqual(wrong.json()["code"], 401)
        let scheme = await h.send("POST", leads, headers: [("Authorization", "Bearer " + h.credentials.irevToken)], json: lead())
        XCTAssertEqual(scheme.status, 401, "the raw token, no scheme")
    }

    func testRoutesVersionsAndContentType() async throws {
        let h = try await start()
        let v1 = await h.send("POST", "/irev/api/affiliates/v1/leads", headers: auth(h), json: lead())
        XCTAssertEqual(v1.status, 410)
        XCTAssertEqual(v1.json()["message"], "API version V1 is not supported")
        let typo = await h.send("GET", "/irev/api/affiliates/v2/lead", headers: auth(h))
        XCTAssertEqual(typo.status, 404)
        XCTAssertEqual(typo.json()["type"], "NOT_FOUND")
        let form = await h.send("POST", leads, headers: auth(h) + [("Content-Type", "text/plain")], body: "ip=1")
        XCTAssertEqual(form.status, 415)
        XCTAssertEqual(form.json()["name"], "UnsupportedContentType")
        let goals = await h.send("GET", "/irev/api/affiliates/v2/goal-types", headers: auth(h))
        XCTAssertEqual(goals.json().arrayValue?.compactMap { $0["name"]?.stringValue }, ["Lead", "FTD"])
    }

    func testIPIsRequiredAndErrorTypes() async throws {
        let h = try await start()
        let noIP = await h.send("POST", leads, headers: auth(h), json: .object(["email": "x@example.com"]))
        XCTAssertEqual(noIP.status, 422)
        XCTAssertEqual(noIP.json()["type"], "FIXABLE_INPUT")
        XCTAssertEqual(noIP.json()["data"]?["errorType"], "FIXABLE_INPUT")
        let badCountry = await h.send("POST", leads, headers: auth(h), json: lead(country: "DEU"))
        XCTAssertEqual(badCountry.json()["data"]?["errorMessage"], "Country_code must be in ISO2 format")
        let blocked = await h.send("POST", leads, headers: auth(h), json: lead(email: "kp@example.com", country: "KP"))
        XCTAssertEqual(blocked.status, 400)
        XCTAssertEqual(blocked.json()["data"]?["errorType"], "BLOCK_COUNTRY")
        XCTAssertNotNil(blocked.json()["data"]?["leadUuid"]?.stringValue)
        let ok = await h.send("POST", leads, headers: auth(h), json: lead())
        XCTAssertEqual(ok.status, 200)
        XCTAssertNotNil(ok.json()["lead_uuid"]?.stringValue)
        XCTAssertNotNil(ok.json()["auto_login_url"]?.stringValue)
        let duplicate = await h.send("POST", leads, headers: auth(h), json: lead(extra: ["aff_sub": "other body"]))
        XCTAssertEqual(duplicate.status, 400)
        XCTAssertEqual(duplicate.json()["data"]?["errorType"], "DUPLICATION_ERROR")
    }

    func testIdenticalPostBodyIsRefusedForTwoMinutes() async throws {
        let h = try await start()
        let body = lead().encoded()
        let headers = auth(h) + [("Content-Type", "application/json")]
        let first = await h.send("POST", leads, headers: headers, body: body)
        XCTAssertEqual(first.status, 200)
        h.clock.advance(by: 119)
        let again = await h.send("POST", leads, headers: headers, body: body)
        XCTAssertEqual(again.status, 429)
        XCTAssertEqual(again.json()["name"], "RateLimitExceeded")
        XCTAssertEqual(again.headers.first { $0.name.lowercased() == "retry-after" }?.value, "1")
        h.clock.advance(by: 1)
        let later = await h.send("POST", leads, headers: headers, body: body)
        XCTAssertEqual(later.status, 400, "past the window the body goes through (and meets the duplicate email)")
        XCTAssertEqual(later.json()["data"]?["errorType"], "DUPLICATION_ERROR")
    }

    func testGetsAreLimitedToTenInThreeSeconds() async throws {
        let h = try await start()
        for n in 1...10 {
            let r = await h.send("GET", leads, headers: auth(h))
            XCTAssertEqual(r.status, 200, "GET \(n)")
        }
        let eleventh = await h.send("GET", leads, headers: auth(h))
        XCTAssertEqual(eleventh.status, 429)
        XCTAssertEqual(eleventh.json()["message"], "Rate limit exceeded")
        h.clock.advance(by: 3)
        let afterWindow = await h.send("GET", leads, headers: auth(h))
        XCTAssertEqual(afterWindow.status, 200)
    }

    func testProfileTextIsTrimmedTo512PlusMarker() async throws {
        let h = try await start()
        let long = String(repeating: "x", count: 600)
        let ok = await h.send("POST", leads, headers: auth(h), json: lead(extra: ["aff_sub": .string(long), "short": "kept"]))
        XCTAssertEqual(ok.status, 200)
        let rows = await h.send("GET", leads, headers: auth(h)).json().arrayValue ?? []
        XCTAssertEqual(rows.first?["aff_sub"], .string(String(repeating: "x", count: 512) + "<..>"))
        XCTAssertEqual(rows.first?["short"], "kept")
        XCTAssertEqual(rows.first?["ip"], "203.0.113.7")
    }

    func testListingPagesAndPerPageMaximum() async throws {
        let h = try await start()
        for n in 0..<25 { _ = await h.send("POST", leads, headers: auth(h), json: lead(email: "p\(n)@example.com")) }
        let defaults = await h.send("GET", leads, headers: auth(h))
        XCTAssertEqual(defaults.json().arrayValue?.count, 20, "first 20 by default")
        let page2 = await h.send("GET", leads + "?page=2&per_page=20", headers: auth(h))
        XCTAssertEqual(page2.json().arrayValue?.count, 5)
        let over = await h.send("GET", leads + "?per_page=120", headers: auth(h))
        XCTAssertEqual(over.status, 422)
        XCTAssertEqual(over.json()["type"], "VALIDATION_ERROR")
        XCTAssertEqual(over.json()["data"]?.arrayValue?.first?["expected"], 100)
        let max = await h.send("GET", leads + "?per_page=100", headers: auth(h))
        XCTAssertEqual(max.json().arrayValue?.count, 25)
    }

    func testFTDRowAppearsOnTheTimeline() async throws {
        let h = try await start()
        let pushed = await h.send("POST", leads, headers: auth(h), json: lead())
        let uuid = try XCTUnwrap(pushed.json()["lead_uuid"]?.stringValue)
        let window = "?created_from=2026-01-01T00:00Z&created_to=2026-01-01T01:00Z&per_page=100"
        var goals = await h.send("GET", leads + window, headers: auth(h)).json().arrayValue?.compactMap { $0["goalType"]?.stringValue }
        XCTAssertEqual(goals, ["Lead"])
        h.clock.advance(by: 180)
        let rows = await h.send("GET", leads + window, headers: auth(h)).json().arrayValue ?? []
        goals = rows.compactMap { $0["goalType"]?.stringValue }
        XCTAssertEqual(goals, ["Lead", "FTD"])
        XCTAssertEqual(Set(rows.compactMap { $0["uuid"]?.stringValue }), [uuid])
        let before = await h.send("GET", leads + "?created_from=2025-12-01&created_to=2025-12-31", headers: auth(h))
        XCTAssertEqual(before.json(), .array([]))
    }
}
