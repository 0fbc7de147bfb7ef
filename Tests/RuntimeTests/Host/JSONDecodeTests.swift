import Host
import XCTest

/// `json.decode` (contract, section 4): types, marks, and errors with line and column.
final class JSONDecodeTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    /// The message of decoding the Lua string literal `text`.
    private func decodeError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        vm.errorMessage("return json.decode(\(text))", file: file, line: line)
    }

    func testTypes() throws {
        XCTAssertEqual(
            try vm.value(
                #"local v = json.decode('{"s":"x","i":42,"f":1.5,"e":1e2,"t":true,"n":null,"a":[1]}') return type(v.s) .. math.type(v.i) .. math.type(v.f) .. math.type(v.e) .. tostring(v.t) .. tostring(v.n == json.null) .. #v.a"#
            ),
            "stringintegerfloatfloattruetrue1")
        XCTAssertEqual(try vm.value(#"return math.type(json.decode('-0'))"#), "integer")
        XCTAssertEqual(try vm.value(#"return json.decode(' "top" ')"#), "top")
    }

    func testIntegersBeyond2To53StayExact() throws {
        XCTAssertEqual(
            try vm.value("local v = json.decode('9007199254740993') return math.type(v) .. ' ' .. v"), "integer 9007199254740993")
        XCTAssertEqual(
            try vm.value("return json.encode(json.decode('[9007199254740993,-9223372036854775808,9223372036854775807]'))"),
            "[9007199254740993,-9223372036854775808,9223372036854775807]")
    }

    func testIntegersBeyondInt64BecomeFloats() throws {
        XCTAssertEqual(
            try vm.value("local v = json.decode('18446744073709551616') return math.type(v) .. ' ' .. string.format('%.17g', v)"),
            "float 1.8446744073709552e+19")
        XCTAssertEqual(try vm.value("return math.type(json.decode('9223372036854775808'))"), "float")
        XCTAssertEqual(try vm.value("return math.type(json.decode('-9223372036854775809'))"), "float")
    }

    func testFloatsReadExactly() throws {
        XCTAssertEqual(
            try vm.value(
                "return json.decode('0.1') == 0.1 and json.decode('1e300') == 1e300 and json.decode('-2.5E-3') == -0.0025 and json.decode('123456789012345678901234567890.5') == 1.2345678901234568e29"
            ), "true")
        XCTAssertEqual(try vm.value("return json.decode('0.30000000000000004') == 0.1 + 0.2"), "true")
        XCTAssertTrue(decodeError("'1e400'").contains("json.decode: line 1, column 1: number out of range"))
    }

    func testNullKeepsTheKey() throws {
        XCTAssertEqual(
            try vm.value(
                #"local v = json.decode('{"a":null,"b":[null]}') return tostring(v.a == json.null) .. tostring(v.b[1] == json.null) .. #v.b"#
            ), "truetrue1")
        XCTAssertEqual(try vm.value(#"local n = 0 for k in pairs(json.decode('{"a":null}')) do n = n + 1 end return n"#), "1")
    }

    func testArraysAreMarkedObjectsAreNot() throws {
        XCTAssertEqual(try vm.value("return json.encode(json.decode('[]'))"), "[]")
        XCTAssertEqual(try vm.value("return json.encode(json.decode('{}'))"), "{}")
        XCTAssertEqual(try vm.value(#"return json.encode(json.decode('{"a":[],"b":{},"c":[[]]}'))"#), #"{"a":[],"b":{},"c":[[]]}"#)
        XCTAssertEqual(try vm.value("return getmetatable(json.decode('[1]'))"), "json.array")
        XCTAssertEqual(try vm.value("return getmetatable(json.decode('{}'))"), nil)
    }

    func testLargeContainers() throws {
        XCTAssertEqual(
            try vm.value(
                "local t = {} for i = 1, 1000 do t[i] = i end local d = json.decode(json.encode(t)) return #d .. ' ' .. d[1] .. ' ' .. d[1000]"
            ), "1000 1 1000")
        XCTAssertEqual(
            try vm.value(
                "local t = {} for i = 1, 1000 do t['k' .. i] = i end local d = json.decode(json.encode(t)) local n = 0 for _ in pairs(d) do n = n + 1 end return n .. ' ' .. d.k1 .. ' ' .. d.k1000"
            ), "1000 1 1000")
        XCTAssertEqual(try vm.value(#"return json.decode('{"a":1,"a":2}').a"#), "2")
    }

    func testUnicodeEscapes() throws {
        XCTAssertEqual(try vm.value(#"return json.decode('"caf\\u00e9"') == "caf\xc3\xa9""#), "true")
        XCTAssertEqual(try vm.value(#"return json.decode('"\\ud83d\\ude00"') == "\xf0\x9f\x98\x80""#), "true")
        XCTAssertEqual(try vm.value(#"return json.decode('"\\ud83d\\ude00"') == "😀""#), "true")
        XCTAssertEqual(try vm.value(#"return json.decode('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041"') == "\"\\/\b\f\n\r\tA""#), "true")
        XCTAssertEqual(try vm.value(#"return #json.decode('"\\u0000"')"#), "1")
    }

    func testLongEscapedStringsRoundTrip() throws {
        let code = #"local s = string.rep('é"\\\n/x', 200) local d = json.decode(json.encode({ s })) return d[1] == s and #s"#
        XCTAssertEqual(try vm.value(code), "1400")
    }

    func testLoneSurrogatesAreErrors() {
        XCTAssertTrue(decodeError(#"'"ab\\ud83d"'"#).contains("json.decode: line 1, column 4: lone surrogate \\ud83d"))
        XCTAssertTrue(decodeError(#"'"\\ude00x"'"#).contains("line 1, column 2: lone surrogate \\ude00"))
        XCTAssertTrue(decodeError(#"'"\\ud83d\\u0041"'"#).contains("lone surrogate"))
    }

    func testMalformedInputsGiveLineAndColumn() {
        let cases: [(String, String)] = [
            (#"'{\n  "a": 1,\n  "b": 2 "c"\n}'"#, "line 3, column 10: expected ',' or '}'"),
            (#"'{"a" 1}'"#, "line 1, column 6: expected ':'"),
            (#"'{"a":1,}'"#, "line 1, column 8: expected a string key"),
            (#"'{1:2}'"#, "line 1, column 2: expected a string key"),
            (#"'[1,2'"#, "line 1, column 5: unexpected end of input"),
            (#"'[1 2]'"#, "line 1, column 4: expected ',' or ']'"),
            (#"'[1,]'"#, "line 1, column 4: expected a value"),
            (#"'{"a":1} x'"#, "line 1, column 9: unexpected characters after the JSON value"),
            (#"'"abc'"#, "line 1, column 1: unterminated string"),
            (#"'"a\tb"'"#, "line 1, column 3: unescaped control character U+0009 in string"),
            (#"'"a\\x"'"#, #"line 1, column 3: invalid escape '\x' in string"#),
            (#"'"\\u12"'"#, "line 1, column 2: invalid \\u escape: expected four hex digits"),
            (#"'012'"#, "line 1, column 1: leading zero in number"),
            (#"'-'"#, "line 1, column 2: expected a digit"),
            (#"'1.'"#, "line 1, column 3: expected a digit after '.'"),
            (#"'1e+'"#, "line 1, column 4: expected a digit in the exponent"),
            (#"'tru'"#, "line 1, column 1: invalid literal, expected 'true'"),
            (#"'nul'"#, "line 1, column 1: invalid literal, expected 'null'"),
            (#"''"#, "line 1, column 1: unexpected end of input"),
            (#"'  '"#, "line 1, column 3: unexpected end of input"),
            (#"'\239\187\191{}'"#, "line 1, column 1: byte order mark (U+FEFF) before the JSON text"),
            (#"'"\255"'"#, "line 1, column 2: invalid UTF-8 in string"),
            (#"'["é", x]'"#, "line 1, column 7: expected a value"),
            (#"'// c\n1'"#, "line 1, column 1: expected a value"),
        ]
        for (input, expected) in cases {
            let message = decodeError(input)
            XCTAssertTrue(message.hasSuffix("json.decode: " + expected), "\(input): \(message)")
        }
    }

    func testDecodeRequiresAString() {
        XCTAssertTrue(decodeError("nil").contains("json.decode: expected a string, got nil"))
        XCTAssertTrue(decodeError("{}").contains("json.decode: expected a string, got table"))
    }

    func testErrorsAreCatchableWithPcall() throws {
        XCTAssertEqual(
            try vm.value("local ok, err = pcall(json.decode, '{') return tostring(ok) .. ' ' .. err"),
            "false json.decode: line 1, column 2: unexpected end of input")
    }

    func testDepth200DecodesAnd201Raises() throws {
        XCTAssertEqual(
            try vm.value(
                "local v = json.decode(string.rep('[', 200) .. string.rep(']', 200)) local d = 0 while v[1] do v = v[1] d = d + 1 end return d"
            ), "199")
        XCTAssertTrue(
            decodeError("string.rep('[', 201) .. string.rep(']', 201)").contains("json.decode: line 1, column 201: nesting deeper than 200")
        )
        XCTAssertTrue(
            decodeError(#"string.rep('{"a":', 201) .. '1' .. string.rep('}', 201)"#).contains("column 1001: nesting deeper than 200"))
        XCTAssertTrue(decodeError("string.rep('[', 100000)").contains("nesting deeper than 200"))
    }
}
