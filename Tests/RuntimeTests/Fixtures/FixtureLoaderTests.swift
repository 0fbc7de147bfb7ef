import Foundation
import Host
import IntegrationRuntime
import XCTest

/// `FixtureLoader` reads every field of the published fixture format (docs/writing-integrations.md,
/// "Fixture format") into the case it describes, with the documented defaults.
final class FixtureLoaderTests: XCTestCase {
    static let file = "fx/demo/case.json"

    /// Loads `json` as `fx/demo/case.json` of the integration `demo`.
    static func load(_ json: String) throws(ScriptLoadError) -> Fixture {
        try FixtureLoader.load(bytes: Array(json.utf8), file: file, integration: "demo")
    }

    func testAPushCaseKeepsEveryField() throws {
        let f = try Self.load(
            """
            { "description": "a lead is accepted", "action": "push",
              "params": { "base_url": "https://crm.example", "retries": 2 },
              "lead": { "id": "L-1", "email": "a@example.com" },
              "exchanges": [
                { "request": { "method": "PUT", "url": "https://crm.example/leads?x=1",
                               "query": { "y": "2" }, "headers": { "X-Key": "k" }, "json": { "id": "L-1" } },
                  "response": { "status": 201, "headers": { "content-type": "application/json" }, "json": { "id": 7 } } },
                { "request": { "url": "https://crm.example/form", "form": { "a": "b" } },
                  "response": { "error": "timeout" } }
              ],
              "expect": { "outcome": "accepted", "external_id": "7" },
              "now": "2026-03-04T05:06:07Z", "attempt": 3, "offer": { "id": 12, "name": "Spring" } }
            """)
        XCTAssertEqual(f.file, Self.file)
        XCTAssertEqual(f.integration, "demo")
        XCTAssertEqual(f.description, "a lead is accepted")
        XCTAssertEqual(f.action, .push)
        XCTAssertEqual(f.params, ["base_url": .string("https://crm.example"), "retries": .integer(2)])
        XCTAssertEqual(f.subject.lead, .object(["id": .string("L-1"), "email": .string("a@example.com")]))
        XCTAssertEqual(f.exchanges.count, 2)
        XCTAssertEqual(f.exchanges[0].request["method"], .string("PUT"))
        XCTAssertEqual(f.exchanges[0].request["query"], .object(["y": .string("2")]))
        XCTAssertEqual(f.exchanges[0].request["headers"], .object(["X-Key": .string("k")]))
        XCTAssertEqual(f.exchanges[0].response["status"], .integer(201))
        XCTAssertEqual(f.exchanges[0].response["json"], .object(["id": .integer(7)]))
        XCTAssertEqual(f.exchanges[1].request["form"], .object(["a": .string("b")]))
        XCTAssertEqual(f.exchanges[1].response["error"], .string("timeout"))
        XCTAssertEqual(f.expect, ["outcome": .string("accepted"), "external_id": .string("7")])
        XCTAssertEqual(f.now, 1_772_600_767)
        XCTAssertEqual(f.attempt, 3)
        XCTAssertEqual(f.offer, Offer(id: "12", name: "Spring"))
        XCTAssertNil(f.subject.check)
        XCTAssertNil(f.subject.leads)
        XCTAssertNil(f.subject.inbound)

        let input = f.input
        XCTAssertEqual(input.action, .push)
        XCTAssertEqual(input.lead, f.subject.lead)
        XCTAssertEqual(input.params, f.params)
        XCTAssertEqual(input.now, 1_772_600_767)
        XCTAssertEqual(input.attempt, 3)
        XCTAssertEqual(input.offer, Offer(id: "12", name: "Spring"))
    }

    func testTheDefaultsAreTheDocumentedOnes() throws {
        let f = try Self.load(
            """
            { "description": "d", "action": "push", "params": {}, "lead": { "id": "L-1" },
              "expect": { "outcome": "rejected" } }
            """)
        XCTAssertEqual(f.now, Fixture.defaultNow)
        XCTAssertEqual(ISO8601.parse("2026-01-01T00:00:00Z"), Fixture.defaultNow)
        XCTAssertEqual(f.attempt, 1)
        XCTAssertEqual(f.offer, Offer(id: "1", name: "Test offer"))
        XCTAssertEqual(f.exchanges.count, 0)
        XCTAssertEqual(f.params, [:])
    }

    func testEveryLeadActionReadsTheLead() throws {
        for action in ["push", "register", "update", "approved"] {
            let f = try Self.load(
                """
                { "description": "d", "action": "\(action)", "params": {}, "lead": { "id": "L-\(action)" },
                  "expect": { "outcome": "accepted" } }
                """)
            XCTAssertEqual(f.action.rawValue, action)
            XCTAssertEqual(f.subject.lead?["id"]?.stringValue, "L-\(action)")
        }
    }

    func testAProcessingOrApprovedCheckReadsItsLeads() throws {
        for check in ["processing", "approved"] {
            let f = try Self.load(
                """
                { "description": "d", "action": "status", "check": "\(check)", "params": {},
                  "leads": [ { "id": "L-1", "external_id": "x-1", "created_at": "2025-12-31T10:00:00Z" } ],
                  "expect": { "updates": [] } }
                """)
            XCTAssertEqual(f.action, .status)
            XCTAssertEqual(f.subject.check?.rawValue, check)
            XCTAssertEqual(f.subject.leads?.count, 1)
            XCTAssertEqual(f.subject.leads?.first?["external_id"]?.stringValue, "x-1")
            XCTAssertNil(f.subject.from)
            XCTAssertEqual(f.input.check, f.subject.check)
            XCTAssertEqual(f.input.leads, f.subject.leads)
            XCTAssertEqual(f.expect["updates"], .array([]))
        }
    }

    func testARangeCheckReadsFromAndTo() throws {
        let f = try Self.load(
            """
            { "description": "d", "action": "status", "check": "range", "params": {},
              "from": "2025-12-31T00:00:00Z", "to": "2025-12-31T23:59:59Z",
              "expect": { "updates": [ { "external_id": "x", "stage": "approve", "lead_id": "L-1" } ] } }
            """)
        XCTAssertEqual(f.subject.check, .range)
        XCTAssertEqual(f.subject.from, "2025-12-31T00:00:00Z")
        XCTAssertEqual(f.subject.to, "2025-12-31T23:59:59Z")
        XCTAssertNil(f.subject.leads)
        XCTAssertEqual(f.input.from, f.subject.from)
        XCTAssertEqual(f.input.to, f.subject.to)
    }

    func testAPostbackReadsTheInboundRequest() throws {
        let f = try Self.load(
            """
            { "description": "d", "action": "postback", "params": {},
              "inbound": { "method": "GET", "query": { "status": "approve", "lead": "x-1" } },
              "expect": { "updates": [ { "external_id": "x-1", "stage": "approve" } ] } }
            """)
        XCTAssertEqual(f.action, .postback)
        XCTAssertEqual(f.subject.inbound?["query"]?["lead"]?.stringValue, "x-1")
        XCTAssertEqual(f.input.inbound, f.subject.inbound)
        XCTAssertNil(f.subject.lead)
    }

    func testAnOfferIdMayBeAStringAndItsNameIsOptional() throws {
        let f = try Self.load(
            """
            { "description": "d", "action": "push", "params": {}, "lead": { "id": "L-1" },
              "offer": { "id": "off-9" }, "expect": { "outcome": "accepted" } }
            """)
        XCTAssertEqual(f.offer, Offer(id: "off-9", name: ""))
    }

    func testNowAcceptsAnOffsetAndADate() throws {
        let offset = try Self.load(
            """
            { "description": "d", "action": "push", "params": {}, "lead": {}, "now": "2026-01-01T02:00:00+02:00",
              "expect": { "outcome": "accepted" } }
            """)
        XCTAssertEqual(offset.now, Fixture.defaultNow)
        let date = try Self.load(
            """
            { "description": "d", "action": "push", "params": {}, "lead": {}, "now": "2026-01-02",
              "expect": { "outcome": "accepted" } }
            """)
        XCTAssertEqual(date.now, Fixture.defaultNow + 86_400)
    }

    /// Every case shipped in Tests/ScriptFixtures loads (the format the docs publish is the
    /// one the corpus uses).
    func testEveryShippedFixtureLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ScriptFixtures").path
        let fm = FileManager.default
        var count = 0
        for integration in try fm.contentsOfDirectory(atPath: root).sorted() {
            for name in try fm.contentsOfDirectory(atPath: root + "/" + integration).sorted() where name.hasSuffix(".json") {
                let path = "\(root)/\(integration)/\(name)"
                let bytes = Array(try XCTUnwrap(fm.contents(atPath: path)))
                XCTAssertNoThrow(try FixtureLoader.load(bytes: bytes, file: path, integration: integration), path)
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 100)
    }
}
