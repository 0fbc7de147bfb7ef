import LeadJSON
import XCTest

/// `JSONValue`: parsing, compact and pretty encoding, accessors.
final class JSONValueTests: XCTestCase {
    func testParseTypes() throws {
        let v = try JSONValue.parse(
            #" {"s":"x\u00e9","i":9007199254740993,"f":0.5,"big":18446744073709551616,"t":true,"n":null,"a":[1,[]]} "#)
        XCTAssertEqual(v["s"], .string("xé"))
        XCTAssertEqual(v["i"], .integer(9_007_199_254_740_993))
        XCTAssertEqual(v["f"], .number(0.5))
        XCTAssertEqual(v["big"], .number(18_446_744_073_709_551_616.0))
        XCTAssertEqual(v["t"], .bool(true))
        XCTAssertEqual(v["n"], .null)
        XCTAssertEqual(v["a"], .array([.integer(1), .array([])]))
        XCTAssertNil(v["missing"])
    }

    func testParseFromBytesAndNonContiguousCollections() throws {
        XCTAssertEqual(try JSONValue.parse(Array("[1,2]".utf8)), .array([.integer(1), .integer(2)]))
        XCTAssertEqual(try JSONValue.parse("[1,2]".utf8.lazy.map { $0 }), .array([.integer(1), .integer(2)]))
        XCTAssertThrowsError(try JSONValue.parse([UInt8]()[...]))
    }

    func testParseErrorsCarryLineColumnAndOffset() {
        XCTAssertThrowsError(try JSONValue.parse("{\n  \"a\": 1\n  \"b\": 2\n}")) { error in
            let e = error as! JSONParseError
            XCTAssertEqual(e.description, "line 3, column 3: expected ',' or '}'")
            XCTAssertEqual(e.line, 3)
            XCTAssertEqual(e.column, 3)
            XCTAssertEqual(e.offset, 13)
        }
        XCTAssertThrowsError(try JSONValue.parse("")) { error in
            XCTAssertEqual((error as! JSONParseError).description, "line 1, column 1: unexpected end of input")
        }
        XCTAssertThrowsError(try JSONValue.parse(String(repeating: "[", count: 201) + String(repeating: "]", count: 201))) { error in
            XCTAssertEqual((error as! JSONParseError).description, "line 1, column 201: nesting deeper than 200")
        }
        XCTAssertNoThrow(try JSONValue.parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)))
        XCTAssertThrowsError(try JSONValue.parse(#"["\ud800"]"#))
        XCTAssertThrowsError(try JSONValue.parse("[1] [2]"))
    }

    /// Found by the json-decode fuzz target. Object keys are Swift strings, which compare
    /// as Unicode text, so two keys written with different bytes for the same text (`é` as
    /// U+00E9 and as `e` + U+0301) became one member holding the second value under the
    /// first spelling, while `json.decode` keeps both. Such a document is refused, naming
    /// both keys; a key repeated byte for byte still keeps its last value.
    func testKeysThatAreOneTextInTwoUnicodeFormsAreRefused() throws {
        XCTAssertThrowsError(try JSONValue.parse("{\"caf\u{e9}\":1,\n \"cafe\u{301}\":2}")) { error in
            XCTAssertEqual(
                (error as! JSONParseError).description,
                #"line 2, column 2: key "cafe\u0301" and the earlier key "caf\u00e9" are the same text in two Unicode forms"#)
        }
        XCTAssertThrowsError(try JSONValue.parse(#"[{"\u212a":1,"K":2}]"#)) { error in
            XCTAssertEqual(
                (error as! JSONParseError).message, #"key "K" and the earlier key "\u212a" are the same text in two Unicode forms"#)
        }
        XCTAssertEqual(try JSONValue.parse(#"{"a":1,"a":2,"caf\u00e9":3}"#), .object(["a": .integer(2), "caf\u{e9}": .integer(3)]))
    }

    func testEncodedIsCompactSortedAndUnescaped() {
        let v: JSONValue = .object([
            "url": .string("https://x/y"), "b": .array([.integer(1), .number(49.0), .number(0.1), .null]),
            "A": .bool(false), "é": .string("ü\n\"\\\u{1}"), "e": .object([:]), "l": .array([]),
        ])
        XCTAssertEqual(v.encoded(), #"{"A":false,"b":[1,49,0.1,null],"e":{},"l":[],"url":"https://x/y","é":"ü\n\"\\\u0001"}"#)
        XCTAssertEqual(JSONValue.number(.nan).encoded(), "null")
        XCTAssertEqual(JSONValue.number(1e300).encoded(), "1e+300")
        XCTAssertEqual(JSONValue.integer(Int64.min).encoded(), "-9223372036854775808")
    }

    func testPrettyEncoded() {
        let v: JSONValue = .object([
            "b": .array([.integer(1), .object(["c": .null])]), "a": .string("x"), "e": .array([]), "o": .object([:]),
        ])
        XCTAssertEqual(
            v.prettyEncoded(),
            """
            {
              "a": "x",
              "b": [
                1,
                {
                  "c": null
                }
              ],
              "e": [],
              "o": {}
            }
            """)
        XCTAssertEqual(JSONValue.string("s").prettyEncoded(), #""s""#)
    }

    func testParseEncodeRoundTrip() throws {
        let text = #"{"a":[1,-2.5,1e-07,"\u001f/é😀"],"b":{"c":true,"d":null},"e":9223372036854775807}"#
        XCTAssertEqual(try JSONValue.parse(text).encoded(), text)
        XCTAssertEqual(try JSONValue.parse(JSONValue.parse(text).prettyEncoded()), try JSONValue.parse(text))
    }

    func testAccessors() {
        XCTAssertEqual(JSONValue.string("x").stringValue, "x")
        XCTAssertNil(JSONValue.integer(1).stringValue)
        XCTAssertEqual(JSONValue.integer(7).int64Value, 7)
        XCTAssertEqual(JSONValue.number(7.0).int64Value, 7)
        XCTAssertNil(JSONValue.number(7.5).int64Value)
        XCTAssertEqual(JSONValue.integer(7).doubleValue, 7.0)
        XCTAssertEqual(JSONValue.bool(true).boolValue, true)
        XCTAssertNil(JSONValue.null.boolValue)
        XCTAssertEqual(JSONValue.array([.null]).arrayValue, [.null])
        XCTAssertEqual(JSONValue.object(["k": .null]).objectValue, ["k": .null])
        XCTAssertNil(JSONValue.array([]).objectValue)
        XCTAssertTrue(JSONValue.null.isNull)
        XCTAssertFalse(JSONValue.bool(false).isNull)
        XCTAssertNil(JSONValue.array([])["k"])
    }
}
