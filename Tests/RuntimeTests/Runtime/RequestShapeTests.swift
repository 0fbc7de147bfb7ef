import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// What a script's request table becomes on the wire.
final class RequestShapeTests: XCTestCase {
    func request(_ table: String) throws -> OutboundRequest? {
        let code = TestScripts.script(prepare: "return \(table)", parse: "return { outcome = 'accepted', external_id = '1' }")
        var seen: OutboundRequest?
        _ = try TestScripts.instance(code).run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)) { request in
            seen = request
            return OutboundResponse(status: 200)
        }
        return seen
    }

    func testFormBodyIsSortedPercentEncodedAndKeepsRepeatedKeysInOrder() throws {
        let r = try request(
            """
            { url = 'https://crm.example/add?x=1', query = { b = 'two words', a = 'é' },
              form = { zeta = 'z', alpha = 'a&b=c', list = { 'first', 2, true }, n = 49 } }
            """)
        XCTAssertEqual(r?.url, "https://crm.example/add?x=1&a=%C3%A9&b=two%20words")
        XCTAssertEqual(
            String(decoding: r?.body ?? [], as: UTF8.self),
            "alpha=a%26b%3Dc&list=first&list=2&list=true&n=49&zeta=z")
        XCTAssertEqual(r?.header("content-type"), "application/x-www-form-urlencoded")
        XCTAssertEqual(r?.method, "POST")
    }

    func testAScriptsContentTypeIsKeptWhateverItsCase() throws {
        let r = try request("{ url = 'https://crm.example/add', headers = { ['content-TYPE'] = 'text/plain' }, form = { a = '1' } }")
        XCTAssertEqual(r?.headers.map(\.name), ["content-TYPE"])
        XCTAssertEqual(r?.header("Content-Type"), "text/plain")
    }

    func testAPrepareResultThatIsNotATableIsAClearError() throws {
        let code = TestScripts.script(prepare: "return 'https://crm.example'", parse: "return {}")
        let result = try TestScripts.instance(code).run(CallInput(action: .push, lead: TestScripts.lead, now: 1000)) { _ in
            OutboundResponse(status: 200)
        }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("a request must be a table, got string") ?? false, result.outcome?.message ?? "")
    }
}
