import Foundation
import IntegrationRuntime
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Every operation docs/openapi.json describes, driven on a live server on loopback (SQLite
/// in a temporary folder, a script that answers without the network, a dispatcher, an
/// affiliate postback sender), with good and bad requests: each answer's status must be
/// one the document lists for the operation, with a listed content type, its required
/// headers, and a body that fits the schema. The areas are in the `+Intake`, `+Reports`,
/// `+Admin` and `+Operations` files; each asserts it drove every operation it names.
final class OpenAPIConformanceTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var scripts: IntegrationDirectory!
    var server: LeadRelayServer!
    var receiver: PostbackReceiver!
    var postbackTransport: LiveTransport!
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var spec: OpenAPISpec!
    /// Keys by who holds them: `affiliate` (every permission), `limited` (every permission,
    /// one request an hour), `writer` (`leads:create` only), `reader` (`leads:read` only), and the employees' roles.
    var tokens: [String: String] = [:]
    /// The operations called so far in this test (`METHOD /path`).
    var driven: Set<String> = []

    /// A script that answers without HTTP: accepted (with a login URL when registering),
    /// rejected for addresses with "taken"; its postbacks read `id` and `stage`, and fail or
    /// refuse on demand.
    static let relay = """
        local outcome = require("lib.outcome")
        local M = { name = "relay", title = "relay", actions = { "push", "register", "update", "postback" }, params = {} }
        function M.prepare(lead, ctx)
          if string.find(lead.email or "", "taken", 1, true) then return outcome.rejected("duplicate", "taken at the buyer") end
          return outcome.accepted("X-" .. lead.id, ctx.action == "register" and "https://login.example/" .. lead.id or nil)
        end
        function M.parse_status(request, ctx)
          local fields = request.form or request.query
          if fields.fail then error("cannot read it") end
          if fields.refuse then return outcome.rejected("unknown", "not understood") end
          return { updates = { { external_id = fields.id, stage = fields.stage, status = "postback" } } }
        end
        return M
        """

    override func setUp() async throws {
        spec = try OpenAPISpec.load()
        temporary = try TemporaryDirectory("openapi")
        let folder = temporary.path + "/integrations"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ServiceEndToEndTests.integrationsDirectory + "/lib", toPath: folder + "/lib")
        try Self.relay.write(toFile: folder + "/relay.lua", atomically: true, encoding: .utf8)
        scripts = try IntegrationDirectory(path: folder, transport: client)
        _ = try scripts.rescan()
        XCTAssertEqual(scripts.names, ["relay"])
        store = try temporary.sealedStore()
        try await seed()
        receiver = try PostbackReceiver()
        receiver.answer([204])
        postbackTransport = LiveTransport(configuration: .init(egressPolicy: .allowing([try XCTUnwrap(AddressBlock("127.0.0.1"))])))
        var quiet = Logger(label: "openapi")
        quiet.logLevel = .critical
        let scripts = self.scripts!
        let sender = AffiliatePostbackSender(
            store: store, transport: postbackTransport, configuration: .init(allowedPorts: [receiver.port]), logger: quiet)
        let dispatcher = Dispatcher(
            store: store, routing: StoreRouting(offers: store) { scripts.pool($0) },
            configuration: .init(owner: "openapi", idleSeconds: 0.02))
        let parts = LeadRelayServer.Parts(
            store: store, dispatcher: dispatcher, routes: RouteSetup(directory: scripts), scripts: scripts, pools: { scripts.pool($0) },
            logger: quiet, postbacks: sender, integrations: { scripts.names.count })
        server = try await LeadRelayServer.start(.init(host: "127.0.0.1", port: 0), parts: parts, logger: quiet)
    }

    override func tearDown() async throws {
        await server?.stop()
        scripts?.shutdown()
        receiver?.stop()
        client.shutdown()
        postbackTransport?.shutdown()
        temporary?.remove()
    }

    /// Offer 7 (granted to A1) through route `relay` (postback token `t-relay`), offer 8 (not
    /// granted), affiliate A1 with its keys, an employee of each role.
    func seed() async throws {
        let loopback = try XCTUnwrap(IPRange(from: "127.0.0.1"))
        let future = Date().timeIntervalSince1970 + 3600
        try await store.save(StoredOffer(id: "7", name: "Crypto DE"))
        try await store.save(StoredOffer(id: "8", name: "Crypto AT"))
        _ = try await store.save(OfferRoute(offerID: "7", integration: "relay", priority: 1, postbackToken: "t-relay"))
        try await store.save(Affiliate(id: "A1", name: "Media Buyer", offers: ["7"]))
        let all = Set(KeyPermission.allCases)
        tokens["affiliate"] = try await store.issueKey(affiliateID: "A1", permissions: all, allowlist: [loopback], expiresAt: future).1.text
        tokens["limited"] =
            try await store.issueKey(
                affiliateID: "A1", permissions: all, allowlist: [loopback], expiresAt: future, rate: try XCTUnwrap(RateLimit("1/1h"))
            ).1.text
        tokens["writer"] =
            try await store.issueKey(affiliateID: "A1", permissions: [.createLeads], allowlist: [loopback], expiresAt: future).1.text
        tokens["reader"] =
            try await store.issueKey(affiliateID: "A1", permissions: [.readLeads], allowlist: [loopback], expiresAt: future).1.text
        for role in EmployeeRole.allCases {
            try await store.save(Employee(id: "E-\(role)", name: "Staff", role: role))
            tokens["\(role)"] = try await store.issueEmployeeKey(employeeID: "E-\(role)", allowlist: [loopback], expiresAt: future).1.text
        }
    }

    /// An answer as the tests read it.
    struct Answer {
        var status: Int
        var headers: [String: String]
        var text: String
        var json: JSONValue? { try? JSONValue.parse(text) }
    }

    /// Sends a request for `operation` (`POST /api/v1/leads`) to `path` (with its query),
    /// checks the status is `expect` and the answer fits the document (and, for a request
    /// that succeeds, that its body fits what the document says the operation takes), and
    /// notes the operation as driven.
    @discardableResult
    func call(
        _ operation: String, _ path: String, _ body: String = "", type: String? = "application/json", key: String? = nil,
        headers extra: [(name: String, value: String)] = [], expect status: Int, file: StaticString = #filePath, line: UInt = #line
    ) async -> Answer {
        var headers = extra
        if let type, !body.isEmpty { headers.append(("content-type", type)) }
        if let key { headers.append(("authorization", "Bearer \(tokens[key] ?? key)")) }
        let method = String(operation.prefix { $0 != " " })
        let response = await client.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)", headers: headers, body: Array(body.utf8), timeout: 20))
        let names = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        let answer = Answer(status: response.status, headers: names, text: String(decoding: response.body, as: UTF8.self))
        XCTAssertEqual(answer.status, status, "\(operation) \(path): \(answer.text.prefix(400))", file: file, line: line)
        let problems = spec.problems(
            operation, status: answer.status, contentType: names["content-type"], headers: names, body: response.body)
        XCTAssertEqual(problems, [], "\(operation) \(path)", file: file, line: line)
        if status < 300, let type, !body.isEmpty {
            let sent = type == "application/json" ? try? JSONValue.parse(body) : FormBody.read(Array(body.utf8))
            if let sent {
                XCTAssertEqual(
                    spec.requestProblems(operation, contentType: type, body: sent), [], "\(operation) \(path)", file: file, line: line)
            }
        }
        driven.insert(operation)
        return answer
    }

    /// Fails for each of `operations` this test did not call.
    func assertDrove(_ operations: [String], file: StaticString = #filePath, line: UInt = #line) {
        for operation in operations where !driven.contains(operation) {
            XCTFail("\(operation) was not driven", file: file, line: line)
        }
    }

    /// A lead of offer 7 registered at once (`?wait=`): accepted through `relay`.
    func registeredLead(_ email: String = "anna@example.com") async throws -> String {
        let body = #"{"offer_id": "7", "first_name": "Anna", "email": "\#(email)", "country": "DE"}"#
        let answer = await call("POST /api/v1/leads", "/api/v1/leads?wait=15", body, key: "affiliate", expect: 200)
        XCTAssertEqual(answer.json?["success"], .bool(true), answer.text)
        return try XCTUnwrap(answer.json?["id"]?.stringValue)
    }

    /// The operations the areas drive, which together must be every documented one.
    static let areas: [[String]] = [intakeOperations, reportOperations, adminOperations, employeeOperations, operationsOperations]

    func testEveryDocumentedOperationIsDrivenByAnArea() {
        XCTAssertEqual(Set(Self.areas.joined()).sorted(), spec.operations)
    }
}
