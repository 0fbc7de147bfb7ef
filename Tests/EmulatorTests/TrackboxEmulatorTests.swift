import Host
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import OutboundHTTP
import XCTest

/// The Trackbox emulator checked against the one public Trackbox document found:
/// "Trackbox API Documentation", https://intercom.help/tigloo/en/articles/9349579-trackbox-api-documentation
/// (its "Push Leads (Registration method)" section: headers, body fields and a curl example;
/// the stored copy shows no answers and no pull section). Each test quotes what it checks;
/// everything the page does not show is marked ASSUMPTION (the emulator then follows
/// trackbox.lua and its fixtures, see docs/emulators.md).
final class TrackboxEmulatorTests: EmulatorTestCase {
    let signup = "/trackbox/api/signup/procform"
    let pull = "/trackbox/api/pull/customers"

    func headers(_ h: EmulatorHarness, key: String? = nil, password: String? = nil) -> [(String, String)] {
        [
            ("x-trackbox-username", h.credentials.trackboxUsername),
            ("x-trackbox-password", password ?? h.credentials.trackboxPassword),
            ("x-api-key", key ?? h.credentials.trackboxAPIKey),
        ]
    }

    func lead(email: String = "anna@example.com", phone: String = "4915112345678", ip: String = "203.0.113.7") -> JSONValue {
        .object([
            "ai": "1", "ci": "1", "gi": "1", "userip": .string(ip), "firstname": "Anna", "lastname": "Schmidt",
            "email": .string(email), "password": "Xy7!pass", "phone": .string(phone), "MPC_1": "L-1", "so": "quiz",
        ])
    }

    /// Page: "Headers: x-trackbox-username: username x-trackbox-password: password x-api-key:
    /// ..." and the body fields "ai", "ci", "gi", "userip", "firstname", "lastname", "email",
    /// "password", "phone" ("4407012259886": digits only). ASSUMPTION (the page shows no
    /// answers): every answer is HTTP 200 with `status: false` and a message, `code` 401 for
    /// refused credentials; a missing field is "<field> is required"; a phone is 7 to 15 digits;
    /// the pull API refuses the push key with "Cant Pull Data ...".
    func testErrorsAreHTTP200WithStatusFalse() async throws {
        let h = try await start()
        let badPassword = await h.send("POST", signup, headers: headers(h, password: "nope"), json: lead())
        XCTAssertEqual(badPassword.status, 200)
        XCTAssertEqual(badPassword.json()["status"], .bool(false))
        XCTAssertEqual(badPassword.json()["code"], 401)
        let badKey = await h.send("POST", signup, headers: headers(h, key: h.credentials.trackboxPullAPIKey), json: lead())
        XCTAssertEqual(badKey.status, 200)
        XCTAssertEqual(badKey.json()["code"], 401)
        let badPhone = await h.send("POST", signup, headers: headers(h), json: lead(phone: "+49 151"))
        XCTAssertEqual(badPhone.status, 200)
        XCTAssertEqual(badPhone.json()["data"], "Invalid phone number")
        let missing = await h.send("POST", signup, headers: headers(h), json: .object(["ai": "1"]))
        XCTAssertEqual(missing.json()["status"], .bool(false))
        XCTAssertEqual(missing.json()["data"], "gi is required")
        let pullWithPushKey = await h.send(
            "POST", pull, headers: headers(h),
            json: .object(["from": "2026-01-01 00:00:00", "to": "2026-01-02 00:00:00", "type": "3", "page": "1"]))
        XCTAssertEqual(pullWithPushKey.status, 200)
        XCTAssertEqual(pullWithPushKey.json()["message"], "Cant Pull Data, please contact support with caseID: 99")
    }

    /// Page: "Push Leads (Registration method)". ASSUMPTION (the page shows no answer): success
    /// is `{"status":true,"data":"<autologin URL>","addonData":{"data":{"uniqueid":...}}}` and a
    /// known email is refused with "Email already exists in the system".
    func testSignupThenDuplicate() async throws {
        let h = try await start()
        let ok = await h.send("POST", signup, headers: headers(h), json: lead())
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.json()["status"], .bool(true))
        XCTAssertNotNil(ok.json()["addonData"]?["data"]?["uniqueid"]?.stringValue)
        let url = try XCTUnwrap(ok.json()["data"]?.stringValue)
        let page = await h.client.perform(OutboundRequest(method: "GET", url: url))
        XCTAssertEqual(page.status, 200)
        let again = await h.send("POST", signup, headers: headers(h), json: lead())
        XCTAssertEqual(again.json()["data"], "Email already exists in the system")
    }

    /// Page: the signup body's "userip": "29.249.50.83" is the lead's address; the body has no
    /// country field at all. ASSUMPTION: a box decides a lead's country from `userip` (the
    /// emulator knows one range: 175.45.176.0/22, allocated to North Korea, so the default
    /// blocked country KP fires) and refuses it with `status: false` and a message naming the
    /// country. An address outside the table has no country and passes.
    func testBlockedCountryIsReadFromUserip() async throws {
        let h = try await start()
        let blocked = await h.send("POST", signup, headers: headers(h), json: lead(email: "kp@example.com", ip: "175.45.177.9"))
        XCTAssertEqual(blocked.status, 200)
        XCTAssertEqual(blocked.json()["status"], .bool(false))
        XCTAssertEqual(blocked.json()["data"], "Country KP is not allowed for this campaign")
        XCTAssertTrue(h.server.store.leads(.trackbox).isEmpty)
        let elsewhere = await h.send("POST", signup, headers: headers(h), json: lead(email: "de@example.com", ip: "175.45.180.1"))
        XCTAssertEqual(elsewhere.json()["status"], .bool(true))
    }

    /// ASSUMPTION throughout (the stored page has no pull section): `POST /api/pull/customers`
    /// with the pull key and `{from, to, type, page}`, types 2 (leads), 3 (all), 4
    /// (depositors), pages with `meta.currentPage`/`lastPage`, customers under `customerData`
    /// with `call_status`, `depositor`, `first_depositDate`, and `tracking.MPC_1`.
    func testPullPagesTypesAndTimeline() async throws {
        let h = try await start { $0.trackboxPageLimit = 2 }
        for n in 0..<3 { _ = await h.send("POST", signup, headers: headers(h), json: lead(email: "p\(n)@example.com")) }
        let pullHeaders = headers(h, key: h.credentials.trackboxPullAPIKey)
        func pullPage(_ page: Int, type: String = "3") async -> JSONValue {
            await h.send(
                "POST", pull, headers: pullHeaders,
                json: .object([
                    "from": "2026-01-01 00:00:00", "to": "2026-01-01 23:59:59", "type": .string(type), "page": .string(String(page)),
                ])
            ).json()
        }
        var first = await pullPage(1)
        XCTAssertEqual(first["data"]?.arrayValue?.count, 2)
        XCTAssertEqual(first["meta"]?["lastPage"], 2)
        XCTAssertEqual(first["data"]?.arrayValue?.first?["customerData"]?["call_status"], "New")
        XCTAssertEqual(first["data"]?.arrayValue?.first?["tracking"]?["MPC_1"], "L-1")
        let second = await pullPage(2)
        XCTAssertEqual(second["data"]?.arrayValue?.count, 1)
        XCTAssertEqual(second["meta"]?["currentPage"], 2)
        let depositors = await pullPage(1, type: "4")
        XCTAssertEqual(depositors["data"], .array([]))
        h.clock.advance(by: 180)
        first = await pullPage(1)
        let customer = first["data"]?.arrayValue?.first?["customerData"]
        XCTAssertEqual(customer?["depositor"], 1)
        XCTAssertEqual(customer?["first_depositDate"], "2026-01-01 00:03:00")
        let leadsOnly = await pullPage(1, type: "2")
        XCTAssertEqual(leadsOnly["data"], .array([]))
    }
}
