import LeadJSON
import XCTest

@testable import LeadRelayService

/// Form-encoded lead bodies read into the intake's JSON shape.
final class FormBodyTests: XCTestCase {
    func read(_ text: String) -> JSONValue? { FormBody.read(Array(text.utf8)) }

    func testPairsEscapesAndBrackets() {
        let body = read(
            "offer_id=7&first_name=Anna+Maria&email=anna%2Btest%40example.com&address[city]=M%C3%BCnchen&items[]=a&items[]=b"
                + "&empty=&flag&last=1&last=2")
        XCTAssertEqual(
            body,
            .object([
                "offer_id": .string("7"), "first_name": .string("Anna Maria"), "email": .string("anna+test@example.com"),
                "address": .object(["city": .string("München")]), "items": .array([.string("a"), .string("b")]),
                "empty": .string(""), "flag": .string(""), "last": .string("2"),
            ]))
        XCTAssertEqual(
            read("items[0][sku]=X&items[0][qty]=2&items[1][sku]=Y"),
            .object(["items": .array([.object(["sku": .string("X"), "qty": .string("2")]), .object(["sku": .string("Y")])])]))
    }

    func testWhatIsNotFormEncodingIsRefused() {
        for bad in ["a=%zz", "a=%4", "=x", "a[b=1", "a[5]=x", "a=1&a[b]=2", "a=%C3%28", "[x]=1"] {
            XCTAssertNil(read(bad), bad)
        }
        XCTAssertEqual(read(""), .object([:]))
    }
}
