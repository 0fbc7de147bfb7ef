import LeadJSON
import XCTest

@testable import LeadRelayService

/// The inbound request a postback script gets (contract, section 3).
final class InboundRequestTests: XCTestCase {
    func testAFormPostIsDecodedWithItsQueryAndLowerCaseHeaders() {
        let inbound = InboundRequest.json(
            method: "POST", url: "http://127.0.0.1/postback/x/t?a=1", path: "/postback/x/t", query: "id=42&note=a+b%21&id=43",
            headers: [("X-Sign", "abc"), ("Accept", "a"), ("accept", "b")], body: Array("status=FTD&price=10.5&bad=%zz".utf8),
            contentType: "application/x-www-form-urlencoded; charset=utf-8", ip: "203.0.113.9")
        XCTAssertEqual(inbound["query"], .object(["id": "42", "note": "a b!"]), "a name given twice keeps its first value")
        XCTAssertEqual(inbound["form"], .object(["status": "FTD", "price": "10.5"]), "a pair that does not decode is left out")
        XCTAssertEqual(inbound["headers"]?["x-sign"], "abc")
        XCTAssertEqual(inbound["headers"]?["accept"], "a, b")
        XCTAssertEqual(inbound["body"], "status=FTD&price=10.5&bad=%zz")
        XCTAssertEqual(inbound["ip"], "203.0.113.9")
        XCTAssertNil(inbound["json"])
    }

    func testAJSONBodyIsParsedAndAnythingElseStaysText() {
        let json = InboundRequest.json(
            method: "POST", url: "u", path: "/p", query: nil, headers: [], body: Array(#"{"id": 7}"#.utf8),
            contentType: "application/json", ip: nil)
        XCTAssertEqual(json["json"]?["id"], .integer(7))
        XCTAssertEqual(json["query"], .object([:]))
        XCTAssertNil(json["form"])
        let broken = InboundRequest.json(
            method: "POST", url: "u", path: "/p", query: nil, headers: [], body: Array("{not json".utf8),
            contentType: "application/json", ip: nil)
        XCTAssertNil(broken["json"], "a body that is not JSON reaches the script as text only")
        XCTAssertEqual(broken["body"], "{not json")
    }
}
