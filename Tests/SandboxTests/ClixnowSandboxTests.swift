import Host
import IntegrationRuntime
import NetworkSandbox
import XCTest

final class ClixnowSandboxTests: SandboxTestCase {
    let leads = "/clixnow/api/system/v1/leads"

    func auth(_ h: SandboxHarness) -> [(String, String)] { [("Authorization", "ApiToken " + h.credentials.clixnowToken)] }

    func lead(email: String = "anna@example.com", password: String = "Xy7!pass1", country: String = "DE") -> JSONValue {
        .object(["firstName": "Anna", "lastName": "Schmidt", "email": .string(email), "phone": "+4915112345678",
                 "countryCode": .string(country), "password": .string(password), "subCampaign": "spring", "clickId": "c-1"])
    }

    func testTokenIsRequiredAndChecked() async throws {
        let h = try await start()
        let missing = await h.send("POST", leads, json: lead())
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(missing.json()["message"], "Invalid token")
        let wrong = await h.send("POST", leads, headers: [("Authorization", "ApiToken nope")], json: lead())
        XCTAssertEqual(wrong.status, 401)
        let raw = await h.send("POST", leads, headers: [("Authorization", h.credentials.clixnowToken)], json: lead())
        XCTAssertEqual(raw.status, 401, "the ApiToken scheme is required")
        let search = await h.send("GET", leads + "/search?id=1")
        XCTAssertEqual(search.status, 401)
    }

    func testWrongMediaTypeIs415() async throws {
        let h = try await start()
        let form = await h.send("POST", leads, headers: auth(h) + [("Content-Type", "application/x-www-form-urlencoded")], body: "a=1")
        XCTAssertEqual(form.status, 415)
        XCTAssertEqual(form.text, "Unsupported Media Type")
        let accept = await h.send("POST", leads, headers: auth(h) + [("Accept", "text/html")], json: lead())
        XCTAssertEqual(accept.status, 415)
    }

    func testRequiredFieldsAndPasswordRule() async throws {
        let h = try await start()
        let empty = await h.send("POST", leads, headers: auth(h), json: .object([:]))
        XCTAssertEqual(empty.status, 400)
        let errors = empty.json()["errors"]?.objectValue ?? [:]
        XCTAssertEqual(Set(errors.keys), ["firstName", "lastName", "email", "phone", "password", "countryCode"])
        for password in ["Ab1!", "Password123"] {
            let weak = await h.send("POST", leads, headers: auth(h), json: lead(password: password))
            XCTAssertEqual(weak.status, 400, password)
            XCTAssertNotNil(weak.json()["errors"]?["password"], password)
        }
        XCTAssertTrue(h.sandbox.store.leads(.clixnow).isEmpty, "refused leads are not stored")
    }

    func testAcceptedLeadThenDuplicateAndBlockedCountry() async throws {
        let h = try await start()
        let ok = await h.send("POST", leads, headers: auth(h), json: lead())
        XCTAssertEqual(ok.status, 200)
        let body = ok.json()
        XCTAssertNotNil(body["leadId"]?.int64Value)
        XCTAssertEqual(body["subCampaign"], "spring")
        let redirect = try XCTUnwrap(body["redirectUrl"]?.stringValue)
        let page = await h.client.perform(HTTPRequest(method: "GET", url: redirect))
        XCTAssertEqual(page.status, 200, "the autologin URL opens")
        let again = await h.send("POST", leads, headers: auth(h), json: lead())
        XCTAssertEqual(again.status, 400)
        XCTAssertEqual(again.json()["message"], "Lead with email anna@example.com already exists")
        let blocked = await h.send("POST", leads, headers: auth(h), json: lead(email: "kp@example.com", country: "KP"))
        XCTAssertEqual(blocked.status, 403)
    }

    func testSearchFollowsTheTimeline() async throws {
        let h = try await start()
        let created = await h.send("POST", leads, headers: auth(h), json: lead())
        let id = try XCTUnwrap(created.json()["leadId"]?.int64Value)
        func row() async -> JSONValue? { await h.send("GET", leads + "/search?id=\(id)", headers: auth(h)).json().arrayValue?.first }
        var current = await row()
        XCTAssertEqual(current?["status"], "New")
        XCTAssertEqual(current?["clientType"], "Depositor")
        h.clock.advance(by: 60)
        current = await row()
        XCTAssertEqual(current?["status"], "No Answer")
        h.clock.advance(by: 120)
        current = await row()
        XCTAssertEqual(current?["status"], "Deposited")
        XCTAssertEqual(current?["clientType"], "Client")
        XCTAssertEqual(current?["ftdDate"], "2026-01-01T00:03:00.000Z")
        let unknown = await h.send("GET", leads + "/search?id=1", headers: auth(h))
        XCTAssertEqual(unknown.json(), .array([]))
    }

    func testSearchPagesAndLimits() async throws {
        let h = try await start()
        for n in 0..<3 { _ = await h.send("POST", leads, headers: auth(h), json: lead(email: "p\(n)@example.com")) }
        let range = "createdOnFrom=2026-01-01T00:00:00&createdOnTo=2026-01-01T23:59:59&orderBy=Id"
        let first = await h.send("GET", leads + "/search?\(range)&count=2&skip=0", headers: auth(h))
        XCTAssertEqual(first.json().arrayValue?.count, 2)
        let second = await h.send("GET", leads + "/search?\(range)&count=2&skip=2", headers: auth(h))
        XCTAssertEqual(second.json().arrayValue?.count, 1)
        let defaults = await h.send("GET", leads + "/search", headers: auth(h))
        XCTAssertEqual(defaults.json().arrayValue?.count, 3)
        let outside = await h.send("GET", leads + "/search?createdOnFrom=2025-01-01T00:00:00&createdOnTo=2025-01-02T00:00:00", headers: auth(h))
        XCTAssertEqual(outside.json(), .array([]))
        let tooMany = await h.send("GET", leads + "/search?count=1001", headers: auth(h))
        XCTAssertEqual(tooMany.status, 400)
        let badOrder = await h.send("GET", leads + "/search?orderBy=id", headers: auth(h))
        XCTAssertEqual(badOrder.status, 400, "orderBy needs its first letter upper case")
    }
}
