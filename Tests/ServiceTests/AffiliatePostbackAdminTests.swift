import Foundation
import LeadJSON
import Logging
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// The admin API of affiliate postbacks on a live server: the template checked when set,
/// the recent calls, and the console's test call to a receiver on loopback.
final class AffiliatePostbackAdminTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var store: SQLiteStore!
    var server: LeadRelayServer!
    var receiver: PostbackReceiver!
    let client = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
    var postbackTransport: LiveTransport!
    var manager = ""
    var analyst = ""

    override func setUp() async throws {
        temporary = try TemporaryDirectory("postback-admin")
        store = try temporary.sealedStore()
        receiver = try PostbackReceiver()
        receiver.answer([204])
        let loopback = try XCTUnwrap(IPRange(from: "127.0.0.1"))
        let future = Date().timeIntervalSince1970 + 3600
        for role in [EmployeeRole.manager, .analyst] {
            try await store.save(Employee(id: "E-\(role)", name: "Staff", role: role))
        }
        manager = try await store.issueEmployeeKey(employeeID: "E-manager", allowlist: [loopback], expiresAt: future).1.text
        analyst = try await store.issueEmployeeKey(employeeID: "E-analyst", allowlist: [loopback], expiresAt: future).1.text
        try await store.save(Affiliate(id: "A1", name: "Media Buyer"))
        postbackTransport = LiveTransport(configuration: .init(egressPolicy: .allowing([try XCTUnwrap(AddressBlock("127.0.0.1"))])))
        var quiet = Logger(label: "postback-admin-test")
        quiet.logLevel = .critical
        let sender = AffiliatePostbackSender(
            store: store, transport: postbackTransport, configuration: .init(allowedPorts: [receiver.port]), logger: quiet)
        server = try await LeadRelayServer.start(
            .init(host: "127.0.0.1", port: 0),
            parts: .init(store: store, dispatcher: nil, logger: quiet, postbacks: sender, integrations: { 1 }), logger: quiet)
    }

    override func tearDown() async throws {
        await server.stop()
        receiver.stop()
        client.shutdown()
        postbackTransport.shutdown()
        temporary.remove()
    }

    func send(_ method: String, _ path: String, _ body: String = "", token: String) async -> (status: Int, json: JSONValue?) {
        let response = await client.perform(
            OutboundRequest(
                method: method, url: "http://127.0.0.1:\(server.port)\(path)",
                headers: [("content-type", "application/json"), ("authorization", "Bearer \(token)")], body: Array(body.utf8),
                timeout: 10))
        return (response.status, try? JSONValue.parse(response.body))
    }

    func testTheTemplateIsCheckedWhenSetAndATestCallReachesTheReceiverAndIsListed() async throws {
        let port = receiver.port
        let unknown = await send(
            "PUT", "/api/v1/admin/affiliates/A1/postback", #"{"postback_url": "http://127.0.0.1:\#(port)/pb?c={clik_id}"}"#,
            token: manager)
        XCTAssertEqual(unknown.status, 422)
        XCTAssertEqual(unknown.json?["error"]?["field"], .string("postback_url"))
        let badPort = await send(
            "PUT", "/api/v1/admin/affiliates/A1/postback", #"{"postback_url": "http://127.0.0.1:1/pb"}"#, token: manager)
        XCTAssertEqual(badPort.status, 422, "port 1 is not in egress.postbacks.ports")
        let forbidden = await send(
            "PUT", "/api/v1/admin/affiliates/A1/postback", #"{"postback_url": "http://127.0.0.1:\#(port)/pb"}"#, token: analyst)
        XCTAssertEqual(forbidden.status, 403)
        let template = "http://127.0.0.1:\(port)/pb?click={click_id}&status={status}&lead={lead_id}"
        let set = await send("PUT", "/api/v1/admin/affiliates/A1/postback", #"{"postback_url": "\#(template)"}"#, token: manager)
        XCTAssertEqual(set.status, 200, "\(String(describing: set.json))")
        XCTAssertEqual(set.json?["affiliate"]?["postback_url"], .string(template))

        let test = await send("POST", "/api/v1/admin/affiliates/A1/postbacks/test", #"{"click_id": "clk 9"}"#, token: manager)
        XCTAssertEqual(test.status, 200, "\(String(describing: test.json))")
        XCTAssertEqual(test.json?["call"]?["result"], .string("sent"))
        XCTAssertEqual(test.json?["call"]?["status"], .integer(204))
        XCTAssertEqual(receiver.requests, ["/pb?click=clk%209&status=test&lead=test"])

        let listed = await send("GET", "/api/v1/admin/affiliates/A1/postbacks?limit=5", token: manager)
        XCTAssertEqual(listed.status, 200)
        XCTAssertEqual(listed.json?["calls"]?.arrayValue?.count, 1)
        XCTAssertEqual(listed.json?["calls"]?.arrayValue?.first?["event"], .string("test"))
        XCTAssertEqual(listed.json?["waiting"], .integer(0))
        let missing = await send("GET", "/api/v1/admin/affiliates/A9/postbacks", token: manager)
        XCTAssertEqual(missing.status, 404)
    }

    func testCreatingAnAffiliateTakesATemplateAndRefusesABadOneBeforeStoringAnything() async throws {
        let refused = await send(
            "POST", "/api/v1/admin/affiliates", #"{"name": "B", "id": "B1", "postback_url": "https://u:p@t.example/pb"}"#,
            token: manager)
        XCTAssertEqual(refused.status, 422)
        let none = try await store.affiliate(id: "B1")
        XCTAssertNil(none, "nothing stored")
        let template = "http://127.0.0.1:\(receiver.port)/pb?s={status}"
        let created = await send(
            "POST", "/api/v1/admin/affiliates", #"{"name": "B", "id": "B1", "postback_url": "\#(template)"}"#, token: manager)
        XCTAssertEqual(created.status, 201)
        let stored = try await store.affiliate(id: "B1")
        XCTAssertEqual(stored?.postbackURL, template)
        let noTemplate = await send("POST", "/api/v1/admin/affiliates/A1/postbacks/test", "{}", token: manager)
        XCTAssertEqual(noTemplate.status, 422, "A1 has no template")
    }
}
