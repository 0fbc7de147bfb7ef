import LeadJSON
import XCTest

@testable import LeadRelayService

/// Reading an affiliate's lead: the contract's fields checked, the unknown kept in `extra`,
/// every problem listed with its field and code.
final class IntakeLeadTests: XCTestCase {
    func read(_ text: String) throws -> IntakeLead.Reading { IntakeLead.read(try JSONValue.parse(text)) }

    func testKnownFieldsAreKeptAndUnknownOnesGoToExtra() throws {
        let reading = try read(
            #"{"offer_id": 7, "first_name": "Anna", "email": "anna@example.com", "phone": "+49 151 1234567", "country": "DE", "utm_source": "fb", "id": "mine", "extra": {"a": 1}}"#
        )
        guard case .lead(let lead) = reading else { return XCTFail("\(reading)") }
        XCTAssertEqual(lead.offerID, "7")
        XCTAssertEqual(lead.fields["first_name"], .string("Anna"))
        XCTAssertEqual(lead.fields["extra"], .object(["a": .integer(1), "utm_source": .string("fb")]))
        XCTAssertNil(lead.fields["id"], "the id is the service's own")
        XCTAssertEqual(lead.duplicateKeys.email, "anna@example.com")
        XCTAssertEqual(lead.duplicateKeys.phone, "491511234567")
    }

    func testEveryProblemIsListedWithItsCode() throws {
        let reading = try read(#"{"email": "not-an-address", "phone": "12", "country": "Germany", "first_name": 5, "last_name": {"x": 1}}"#)
        guard case .problems(let problems) = reading else { return XCTFail("\(reading)") }
        XCTAssertEqual(
            problems.map { "\($0.field):\($0.code)" },
            ["country:format", "email:format", "last_name:type", "offer_id:required", "phone:format"])
        XCTAssertEqual(IntakeLead.read(.array([])), .problems([.init(field: "", code: "type", message: "the body must be a JSON object")]))
        guard case .problems(let none) = try read(#"{"offer_id": "7", "first_name": "Anna"}"#) else {
            return XCTFail("no contact accepted")
        }
        XCTAssertEqual(none.map(\.code), ["required"])
        let long = String(repeating: "x", count: 2000)
        guard case .problems(let tooLong) = try read(#"{"offer_id": "7", "email": "a@example.com", "comment": "\#(long)"}"#) else {
            return XCTFail("a long comment accepted")
        }
        XCTAssertEqual(tooLong.map(\.code), ["too_long"])
    }
}
