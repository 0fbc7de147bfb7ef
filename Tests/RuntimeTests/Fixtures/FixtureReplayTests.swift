import Foundation
import Host
import IntegrationRuntime
import XCTest

/// A fixture replayed through a real script by `FixtureRunner`: every input field reaches
/// `ctx`, requests are matched as sent (host-added headers included), responses reach the
/// script as documented, and the exchanges are consumed exactly.
final class FixtureReplayTests: XCTestCase {
    /// `prepare` sends what the lead asks for; `send` makes `lead.extra.requests` requests
    /// (a lead holds what the contract does not name under `extra`); `parse_status` reports
    /// what it saw as the outcome.
    static let script = """
        local M = {
          name = "demo", title = "Demo", actions = { "push" },
          params = { base_url = { default = "https://crm.example" }, token = { required = true } },
        }
        function M.prepare(lead, ctx)
          if (lead.extra or {}).kind == "form" then
            return { url = ctx.params.base_url .. "/form", form = { id = lead.id } }
          end
          return { url = ctx.params.base_url .. "/leads", headers = { ["X-Token"] = ctx.params.token }, json = { id = lead.id } }
        end
        function M.send(request, ctx)
          local response
          for _ = 1, ((ctx.lead.extra or {}).requests or 1) do response = http.request(request) end
          return response
        end
        function M.parse_status(response, ctx)
          if response.status == 0 then return { outcome = "retry", reason = "timeout", message = response.error } end
          return { outcome = "accepted", external_id = ctx.offer.id .. "/" .. ctx.offer.name .. "/" .. ctx.attempt .. "/" .. ctx.now,
                   message = tostring(response.status) .. " " .. tostring(response.headers["x-request-id"]) .. " " .. response.body,
                   extra = response.json }
        end
        return M
        """

    var directory: CheckDirectory!

    override func setUpWithError() throws { directory = try CheckDirectory(scripts: ["demo": Self.script]) }

    override func tearDownWithError() throws { directory.remove() }

    /// The one case's report for a push of `lead` with `exchanges` and `expect` (and `extra` members).
    func run(lead: String = #"{ "id": "L-1" }"#, exchanges: String, expect: String, extra: String = "") async throws -> CaseReport {
        try directory.write(
            "demo", "case",
            """
            { "description": "d", "action": "push", "params": { "token": "t-1" }, "lead": \(lead),
              "exchanges": \(exchanges), "expect": \(expect) \(extra) }
            """)
        let report = await directory.check()
        XCTAssertEqual(report.loadErrors, [], report.text())
        return try XCTUnwrap(report.cases.first, report.text())
    }

    static let leads =
        #"{ "method": "POST", "url": "https://crm.example/leads", "headers": { "x-token": "t-1" }, "json": { "id": "L-1" } }"#

    func testHostAddedHeadersAreMatchedAsSent() async throws {
        let json = try await run(
            exchanges:
                #"[ { "request": { "url": "https://crm.example/leads", "headers": { "content-type": "application/json", "X-TOKEN": "t-1" } }, "response": { "status": 200 } } ]"#,
            expect: #"{ "outcome": "accepted" }"#)
        XCTAssertNil(json.difference)
        let form = try await run(
            lead: #"{ "id": "L-1", "extra": { "kind": "form" } }"#,
            exchanges:
                #"[ { "request": { "url": "https://crm.example/form", "headers": { "Content-Type": "application/x-www-form-urlencoded" }, "form": { "id": "L-1" } }, "response": { "status": 200 } } ]"#,
            expect: #"{ "outcome": "accepted" }"#)
        XCTAssertNil(form.difference)
        let missing = try await run(
            exchanges:
                #"[ { "request": { "url": "https://crm.example/leads", "headers": { "X-Other": "{{any}}" } }, "response": { "status": 200 } } ]"#,
            expect: #"{ "outcome": "accepted" }"#)
        XCTAssertEqual(missing.difference, #"exchanges[0].request.headers.X-Other: expected "{{any}}", got no such header"#)
    }

    func testEveryInputFieldReachesTheScript() async throws {
        let c = try await run(
            exchanges: "[ { \"request\": \(Self.leads), \"response\": { \"status\": 200 } } ]",
            expect: #"{ "outcome": "accepted", "external_id": "off-7/Spring/3/1772600767" }"#,
            extra: #", "now": "2026-03-04T05:06:07Z", "attempt": 3, "offer": { "id": "off-7", "name": "Spring" }"#)
        XCTAssertNil(c.difference)
    }

    func testTheResponseReachesTheScriptAsDocumented() async throws {
        // Header names in lower case, the body as text, `json` decoded; `status` 200 when not given.
        let c = try await run(
            exchanges:
                "[ { \"request\": \(Self.leads), \"response\": { \"headers\": { \"X-Request-Id\": \"r-9\" }, \"json\": { \"n\": [1, 2] } } } ]",
            expect: #"{ "message_contains": "200 r-9 {\"n\":[1,2]}", "extra": { "n": [1, 2] } }"#)
        XCTAssertNil(c.difference)
        let body = try await run(
            exchanges: "[ { \"request\": \(Self.leads), \"response\": { \"status\": 202, \"body\": \"queued\" } } ]",
            expect: #"{ "message_contains": "202 nil queued" }"#)
        XCTAssertNil(body.difference)
    }

    func testATransportFailureIsReplayed() async throws {
        let c = try await run(
            exchanges: "[ { \"request\": \(Self.leads), \"response\": { \"error\": \"timeout\" } } ]",
            expect: #"{ "outcome": "retry", "reason": "timeout", "message_contains": "timeout" }"#)
        XCTAssertNil(c.difference)
        let wrong = try await run(
            exchanges: "[ { \"request\": \(Self.leads), \"response\": { \"error\": \"connect\" } } ]",
            expect: #"{ "outcome": "retry", "message_contains": "timeout" }"#)
        XCTAssertEqual(wrong.difference?.hasPrefix("expect.message_contains"), true, wrong.difference ?? "")
    }

    func testExchangesAreConsumedExactly() async throws {
        let one = "{ \"request\": \(Self.leads), \"response\": { \"status\": 200 } }"
        let both = try await run(
            lead: #"{ "id": "L-1", "extra": { "requests": 2 } }"#, exchanges: "[ \(one), \(one) ]", expect: #"{ "outcome": "accepted" }"#)
        XCTAssertNil(both.difference)
        let beyond = try await run(
            lead: #"{ "id": "L-1", "extra": { "requests": 2 } }"#, exchanges: "[ \(one) ]", expect: #"{ "outcome": "accepted" }"#)
        XCTAssertEqual(beyond.difference?.hasPrefix("exchanges[1].request: expected no more requests"), true, beyond.difference ?? "")
        let unused = try await run(exchanges: "[ \(one), \(one) ]", expect: #"{ "outcome": "accepted" }"#)
        XCTAssertEqual(
            unused.difference?.hasPrefix("exchanges[1].request: expected POST https://crm.example/leads, got no request"), true,
            unused.difference ?? "")
        let none = try await run(exchanges: "[]", expect: #"{ "outcome": "accepted" }"#)
        XCTAssertEqual(none.difference?.hasPrefix("exchanges[0].request: expected no more requests"), true, none.difference ?? "")
    }

    /// A case the script passes fails as soon as one expected field differs.
    func testOneDifferentFieldFailsTheCase() async throws {
        let exchanges = "[ { \"request\": \(Self.leads), \"response\": { \"status\": 200 } } ]"
        let same = try await run(exchanges: exchanges, expect: #"{ "outcome": "accepted", "external_id": "1/Test offer/1/1767225600" }"#)
        XCTAssertNil(same.difference)
        let other = try await run(exchanges: exchanges, expect: #"{ "outcome": "accepted", "external_id": "1/Test offer/2/1767225600" }"#)
        XCTAssertEqual(
            other.difference,
            #"expect.external_id: expected "1/Test offer/2/1767225600", got "1/Test offer/1/1767225600""#)
        let otherBody = exchanges.replacingOccurrences(of: #""json": { "id": "L-1" }"#, with: #""json": { "id": "L-2" }"#)
        let body = try await run(exchanges: otherBody, expect: #"{ "outcome": "accepted" }"#)
        XCTAssertEqual(
            body.difference,
            #"exchanges[0].request.json$.id: expected "L-2", got "L-1""#)
    }
}
