import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// The reports on a live server on loopback over a real SQLite store seeded with leads in
/// many states and stages (`ReportSeed`): who sees which leads and columns, pages, CSV.
final class ReportsAPITests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var server: LeadRelayServer!
    var seed = ReportSeed()
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var staff: [EmployeeRole: String] = [:]
    /// Affiliate keys: `A1`, `A2` (reports:read), `A1-intake` (leads only).
    var affiliates: [String: String] = [:]
    let range = "from=2026-12-01&to=2026-12-02"

    override func setUp() async throws {
        temporary = try TemporaryDirectory("reports")
        store = try temporary.sealedStore()
        seed = try await ReportSeed.seed(store)
        let loopback = try XCTUnwrap(IPRange(from: "127.0.0.1"))
        let future = Date().timeIntervalSince1970 + 3600
        for role in EmployeeRole.allCases {
            try await store.save(Employee(id: "E-\(role)", name: "Staff", role: role))
            staff[role] = try await store.issueEmployeeKey(employeeID: "E-\(role)", allowlist: [loopback], expiresAt: future).1.text
        }
        for (name, affiliate, permissions) in [
            ("A1", "A1", Set(KeyPermission.allCases)), ("A2", "A2", [.readReports]), ("A1-intake", "A1", [.createLeads, .readLeads]),
        ] as [(String, String, Set<KeyPermission>)] {
            affiliates[name] = try await store.issueKey(
                affiliateID: affiliate, permissions: permissions, allowlist: [loopback], expiresAt: future
            ).1.text
        }
        var quiet = Logger(label: "reports-test")
        quiet.logLevel = .critical
        server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), store: store, dispatcher: nil, logger: quiet)
    }

    override func tearDown() async throws {
        await server.stop()
        client.shutdown()
        temporary.remove()
    }

    func get(_ path: String, token: String?, accept: String? = nil) async -> (
        status: Int, json: JSONValue?, text: String, headers: [String: String]
    ) {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        if let accept { headers.append(("accept", accept)) }
        let response = await client.perform(
            OutboundRequest(method: "GET", url: "http://127.0.0.1:\(server.port)\(path)", headers: headers, body: [], timeout: 10))
        var named: [String: String] = [:]
        for header in response.headers { named[header.name.lowercased()] = header.value }
        return (response.status, try? JSONValue.parse(response.body), String(decoding: response.body, as: UTF8.self), named)
    }

    func ids(_ json: JSONValue?) -> Set<String> { Set((json?["leads"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }) }

    func row(_ json: JSONValue?, _ id: String?) -> JSONValue? { json?["leads"]?.arrayValue?.first { $0["id"]?.stringValue == id } }

    func testEmployeesWithTheReportsRightReadEveryLeadWithTheBuyerSide() async throws {
        let answer = await get("/api/v1/reports/leads?\(range)", token: staff[.analyst])
        XCTAssertEqual(answer.status, 200, answer.text)
        let expected = Set(
            ["accepted", "capped", "waiting", "trashed", "approved8", "held8", "duplicate", "pending"].compactMap { seed.ids[$0] })
        XCTAssertEqual(ids(answer.json), expected)
        let accepted = row(answer.json, seed.ids["accepted"])
        XCTAssertEqual(accepted?["revenue"], .string("100"))
        XCTAssertEqual(accepted?["revenue_currency"], .string("EUR"))
        XCTAssertEqual(accepted?["payout"], .string("25"))
        XCTAssertEqual(accepted?["payout_currency"], .string("EUR"))
        XCTAssertEqual(accepted?["stage"], .string("approve"))
        XCTAssertEqual(accepted?["integration"], .string("irev"))
        XCTAssertEqual(accepted?["route_id"], .integer(seed.route7))
        XCTAssertEqual(accepted?["external_id"], .string("X1"))
        XCTAssertEqual(accepted?["message"], .string("welcome from BuyerCorp"))
        // Trashed after an approve: no revenue; an offer paying per approved lead pays the approved one only.
        XCTAssertEqual(row(answer.json, seed.ids["trashed"])?["revenue"], .null)
        XCTAssertEqual(row(answer.json, seed.ids["approved8"])?["payout"], .string("10.5"))
        XCTAssertEqual(row(answer.json, seed.ids["approved8"])?["revenue"], .string("40.5"))
        XCTAssertEqual(row(answer.json, seed.ids["held8"])?["payout"], .null)
        XCTAssertEqual(row(answer.json, seed.ids["capped"])?["reason"], .string("cap_reached"))
        XCTAssertFalse(answer.text.contains("secret-"), "the lead's password never shows")
        XCTAssertFalse(answer.text.contains("aesgcm1:"), "nor its sealed form")

        let admin = await get("/api/v1/reports/leads?\(range)", token: staff[.admin])
        XCTAssertEqual(ids(admin.json), expected)
        let manager = await get("/api/v1/reports/leads?\(range)", token: staff[.manager])
        XCTAssertEqual(manager.status, 403, "a manager's role has no reports right (docs/service.md)")
        let none = await get("/api/v1/reports/leads?\(range)", token: nil)
        XCTAssertEqual(none.status, 401)
        let unknown = await get("/api/v1/reports/summary?\(range)", token: "lr_unknown")
        XCTAssertEqual(unknown.status, 401)
    }

    func testAnAffiliateReadsOnlyItsOwnLeadsNeutrally() async throws {
        let own = await get("/api/v1/reports/leads?\(range)", token: affiliates["A1"])
        XCTAssertEqual(own.status, 200, own.text)
        let expected = Set(["accepted", "capped", "waiting", "approved8", "held8", "duplicate", "pending"].compactMap { seed.ids[$0] })
        XCTAssertEqual(ids(own.json), expected)
        XCTAssertFalse(ids(own.json).contains(seed.ids["trashed"] ?? ""), "another affiliate's lead")
        for lead in own.json?["leads"]?.arrayValue ?? [] {
            for column in LeadReportRow.buyerColumns { XCTAssertNil(lead[column], "an affiliate sees no \(column)") }
        }
        XCTAssertEqual(own.json?["columns"], .array(LeadReportRow.affiliateColumns.map(JSONValue.string)))
        for buyerWord in ["BuyerCorp", "buyer.example", "irev", "trackbox", "\"X1\""] {
            XCTAssertFalse(own.text.contains(buyerWord), "an affiliate never reads \(buyerWord)")
        }
        XCTAssertEqual(row(own.json, seed.ids["accepted"])?["payout"], .string("25"), "its own payout")
        XCTAssertEqual(row(own.json, seed.ids["capped"])?["reason"], .string("cap_reached"), "a neutral reason")

        let other = await get("/api/v1/reports/leads?\(range)", token: affiliates["A2"])
        XCTAssertEqual(ids(other.json), [seed.ids["trashed"]!])
        let peeking = await get("/api/v1/reports/leads?\(range)&affiliate_id=A1", token: affiliates["A2"])
        XCTAssertEqual(peeking.status, 403)
        let ownByName = await get("/api/v1/reports/leads?\(range)&affiliate_id=A2", token: affiliates["A2"])
        XCTAssertEqual(ids(ownByName.json), [seed.ids["trashed"]!])
        let noPermission = await get("/api/v1/reports/leads?\(range)", token: affiliates["A1-intake"])
        XCTAssertEqual(noPermission.status, 403)
        XCTAssertEqual(noPermission.json?["error"]?["message"], .string("the API key lacks the permission reports:read"))
        let summary = await get("/api/v1/reports/summary?\(range)", token: affiliates["A2"])
        XCTAssertEqual(summary.json?["totals"]?["leads"], .integer(1))
        XCTAssertNil(summary.json?["totals"]?["revenue"], "no buyer revenue for an affiliate")
    }

    func testPagesVisitEveryLeadExactlyOnceWhileLeadsArrive() async throws {
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let query = "\(range)&include_test=true&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = await get("/api/v1/reports/leads?\(query)", token: staff[.admin])
            XCTAssertEqual(page.status, 200, page.text)
            let leads = page.json?["leads"]?.arrayValue ?? []
            XCTAssertLessThanOrEqual(leads.count, 3)
            seen += leads.compactMap { $0["id"]?.stringValue }
            cursor = page.json?["next_cursor"]?.stringValue
            pages += 1
            if pages == 1 {
                // A lead arriving during the paging comes after every lead read so far.
                guard
                    case .inserted(let late) = try await store.insert(
                        NewLead(offerID: "7", affiliateID: "A2", fields: ReportSeed.person(42), receivedAt: ReportSeed.day2 + 900))
                else { return XCTFail("not inserted") }
                seed.ids["late"] = late.id
            }
        } while cursor != nil && pages < 10
        XCTAssertEqual(pages, 4, "10 leads, 3 a page")
        XCTAssertEqual(seen.count, Set(seen).count, "no lead twice: \(seen)")
        XCTAssertEqual(Set(seen), Set(seed.ids.values), "none missed")

        let csvPage = await get("/api/v1/reports/leads?\(range)&limit=4&format=csv", token: staff[.admin])
        let next = try XCTUnwrap(csvPage.headers["x-next-cursor"], "a CSV page names the next in X-Next-Cursor")
        let rest = await get("/api/v1/reports/leads?\(range)&limit=100&format=csv&cursor=\(next)", token: staff[.admin])
        let firstRows = CSVReader.parse(csvPage.text).dropFirst().map { $0[0] }
        let restRows = CSVReader.parse(rest.text).dropFirst().map { $0[0] }
        XCTAssertEqual(firstRows.count, 4)
        XCTAssertEqual(Set(firstRows + restRows).count, firstRows.count + restRows.count)
        XCTAssertEqual(firstRows.count + restRows.count, 9, "every lead but the test lead")
        XCTAssertNil(rest.headers["x-next-cursor"], "the last page has no next")
    }

    func testCSVParsesBackToTheSameRowsAsJSON() async throws {
        let json = await get("/api/v1/reports/leads?\(range)", token: staff[.analyst])
        let csv = await get("/api/v1/reports/leads?\(range)", token: staff[.analyst], accept: "text/csv")
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(csv.headers["content-type"], "text/csv; charset=utf-8")
        let table = CSVReader.parse(csv.text)
        let columns = try XCTUnwrap(table.first)
        XCTAssertEqual(columns, ReportAudience.employee(Employee(id: "x", name: "x", role: .analyst)).leadColumns)
        let rows = Array(table.dropFirst())
        let leads = json.json?["leads"]?.arrayValue ?? []
        XCTAssertEqual(rows.count, leads.count)
        for (cells, lead) in zip(rows, leads) {
            XCTAssertEqual(cells.count, columns.count)
            for (column, cell) in zip(columns, cells) {
                let expected: String
                switch lead[column] ?? .null {
                case .null: expected = ""
                case .string(let text): expected = text.hasPrefix("=") ? "'" + text : text
                case .bool(let flag): expected = flag ? "true" : "false"
                case let other: expected = other.encoded()
                }
                XCTAssertEqual(cell, expected, "\(column) of \(cells[0])")
            }
        }
        let accepted = try XCTUnwrap(rows.first { $0[0] == seed.ids["accepted"] })
        XCTAssertEqual(
            accepted[columns.firstIndex(of: "first_name")!], ReportSeed.trickyFirstName, "a comma, quotes and a line break survive")
        XCTAssertEqual(accepted[columns.firstIndex(of: "last_name")!], "'" + ReportSeed.formulaLastName, "a formula is defused")
        let affiliate = await get("/api/v1/reports/leads?\(range)&format=csv", token: affiliates["A1"])
        XCTAssertEqual(CSVReader.parse(affiliate.text).first, LeadReportRow.affiliateColumns)
    }

    func testTestLeadsStayOutUnlessAskedFor() async throws {
        let plain = await get("/api/v1/reports/leads?\(range)", token: affiliates["A1"])
        XCTAssertFalse(ids(plain.json).contains(seed.ids["test"]!))
        let asked = await get("/api/v1/reports/leads?\(range)&include_test=true", token: affiliates["A1"])
        XCTAssertTrue(ids(asked.json).contains(seed.ids["test"]!))
        XCTAssertEqual(row(asked.json, seed.ids["test"])?["is_test"], .bool(true))
        let summary = await get("/api/v1/reports/summary?\(range)&include_test=true", token: staff[.admin])
        XCTAssertEqual(summary.json?["totals"]?["leads"], .integer(9))
    }

    func testFiltersNarrowAndBadParametersAreRefusedByName() async throws {
        let admin = staff[.admin]
        let cases: [(String, [String])] = [
            ("outcome=rejected", ["capped", "duplicate"]),
            ("reason=cap_reached", ["capped"]),
            ("stage=approve", ["accepted", "approved8"]),
            ("stage=none", ["capped", "duplicate", "pending", "held8"]),
            ("offer_id=8", ["approved8", "held8"]),
            ("affiliate_id=A2", ["trashed"]),
            ("country=de&outcome=accepted&offer_id=7", ["accepted", "waiting", "trashed"]),
            ("country=AT", []),
        ]
        for (filter, names) in cases {
            let answer = await get("/api/v1/reports/leads?\(range)&\(filter)", token: admin)
            XCTAssertEqual(ids(answer.json), Set(names.compactMap { seed.ids[$0] }), filter)
        }
        let day2Only = await get("/api/v1/reports/leads?from=2026-12-02T00:00:00Z&to=2026-12-02", token: admin)
        XCTAssertEqual(ids(day2Only.json), Set([seed.ids["approved8"]!, seed.ids["held8"]!]))
        let refusals: [(String, String)] = [
            ("from=yesterday", "from"), ("from=2026-12-03&to=2026-12-01", "from"), ("from=2025-01-01&to=2026-12-01", "from"),
            ("limit=5000", "limit"), ("limit=0", "limit"), ("cursor=bogus", "cursor"), ("ofer_id=7", "ofer_id"),
            ("outcome=won", "outcome"), ("stage=approved", "stage"), ("country=Germany", "country"), ("format=xml", "format"),
            ("include_test=maybe", "include_test"),
        ]
        for (query, field) in refusals {
            let answer = await get("/api/v1/reports/leads?\(query)", token: admin)
            XCTAssertEqual(answer.status, 422, query)
            XCTAssertEqual(answer.json?["error"]?["field"], .string(field), query)
        }
        let pagedSummary = await get("/api/v1/reports/summary?\(range)&limit=5", token: admin)
        XCTAssertEqual(pagedSummary.json?["error"]?["field"], .string("limit"), "the summary has no pages")
    }
}
