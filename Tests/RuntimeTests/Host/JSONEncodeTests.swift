import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

/// `json.encode` (contract, section 4: deterministic bytes for signed bodies).
final class JSONEncodeTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    func testCompactWithKeysSortedByBytes() throws {
        XCTAssertEqual(
            try vm.value(#"return json.encode({ b = 1, a = { 2, 3 }, B = true, ["a b"] = "x", aa = false })"#),
            #"{"B":true,"a":[2,3],"a b":"x","aa":false,"b":1}"#)
        // Byte order, not locale order: "Z" (0x5A) < "_" (0x5F) < "a" (0x61) < "é" (0xC3 0xA9).
        XCTAssertEqual(try vm.value(#"return json.encode({ ["é"] = 1, a = 2, _ = 3, Z = 4 })"#), #"{"Z":4,"_":3,"a":2,"é":1}"#)
        // A key that is a prefix of another sorts first.
        XCTAssertEqual(try vm.value(#"return json.encode({ ab = 1, a = 2, abc = 3 })"#), #"{"a":2,"ab":1,"abc":3}"#)
    }

    func testManyKeysAreSorted() throws {
        let encoded = try XCTUnwrap(vm.value("local t = {} for i = 1, 100 do t['k' .. (i * 37 % 101)] = i end return json.encode(t)"))
        let keys = try XCTUnwrap(JSONValue.parse(encoded).objectValue).keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let order = keys.map { encoded.range(of: "\"\($0)\"")!.lowerBound }
        XCTAssertEqual(order, order.sorted())
        XCTAssertEqual(keys.count, 100)
    }

    func testStringEscapes() throws {
        XCTAssertEqual(
            try vm.value(#"return json.encode("a/b \"q\" \\ \n\r\t\b\f \1 \31 é 😀")"#),
            #""a/b \"q\" \\ \n\r\t\b\f \u0001 \u001f é 😀""#)
        XCTAssertEqual(try vm.value(#"return json.encode("\0")"#), #""\u0000""#)
        XCTAssertEqual(try vm.value(#"return json.encode("")"#), #""""#)
    }

    func testNumbers() throws {
        XCTAssertEqual(
            try vm.value("return json.encode({ 49.0, 0.1, 1e300, -0.0, 1e-7, 3, -7, math.maxinteger, math.mininteger, 2^63, 1.5 })"),
            "[49,0.1,1e+300,0,1e-07,3,-7,9223372036854775807,-9223372036854775808,9.223372036854776e+18,1.5]")
        XCTAssertEqual(try vm.value("return json.encode(123456789.125)"), "123456789.125")
    }

    func testNaNAndInfinityRaise() throws {
        XCTAssertTrue(
            vm.errorMessage("return json.encode({ x = 0/0 })").contains(
                "json.encode: cannot encode NaN (JSON has no NaN or infinity) at $.x"))
        XCTAssertTrue(
            vm.errorMessage("return json.encode({ 1, math.huge })").contains(
                "json.encode: cannot encode inf (JSON has no NaN or infinity) at $[2]"))
        XCTAssertTrue(vm.errorMessage("return json.encode(-math.huge)").contains("cannot encode -inf"))
    }

    func testTopLevelScalars() throws {
        XCTAssertEqual(try vm.value(#"return json.encode("x")"#), #""x""#)
        XCTAssertEqual(try vm.value("return json.encode(42)"), "42")
        XCTAssertEqual(try vm.value("return json.encode(true)"), "true")
        XCTAssertEqual(try vm.value("return json.encode(nil)"), "null")
        XCTAssertEqual(try vm.value("return json.encode(json.null)"), "null")
        XCTAssertTrue(vm.errorMessage("return json.encode()").contains("json.encode: expected a value"))
    }

    func testTablesAsArraysAndObjects() throws {
        XCTAssertEqual(try vm.value("return json.encode({})"), "{}")
        XCTAssertEqual(try vm.value("return json.encode(json.array())"), "[]")
        XCTAssertEqual(try vm.value("return json.encode(json.array({ 1, 2 }))"), "[1,2]")
        XCTAssertEqual(try vm.value("return json.encode({ 'a', 'b' })"), #"["a","b"]"#)
        // Keys 1..n in the hash part, inserted out of order, are still an array.
        XCTAssertEqual(try vm.value("local t = {} t[3] = 'c' t[1] = 'a' t[2] = 'b' return json.encode(t)"), #"["a","b","c"]"#)
        XCTAssertEqual(try vm.value("return json.encode({ list = {}, marked = json.array() })"), #"{"list":{},"marked":[]}"#)
    }

    func testOtherMetatablesAreIgnored() throws {
        XCTAssertEqual(
            try vm.value("return json.encode(setmetatable({ a = 1 }, { __index = { b = 2 }, __pairs = function() end }))"), #"{"a":1}"#)
        XCTAssertEqual(try vm.value("return json.encode(setmetatable({}, { __index = function() return 1 end }))"), "{}")
    }

    func testNullInObjectsAndArrays() throws {
        XCTAssertEqual(try vm.value("return json.encode({ a = json.null, b = { 1, json.null, 3 } })"), #"{"a":null,"b":[1,null,3]}"#)
    }

    func testMixedSparseAndOddKeysRaise() throws {
        XCTAssertTrue(vm.errorMessage("return json.encode({ x = { 1, 2, a = 3 } })").contains("json.encode: mixed string and integer keys"))
        XCTAssertTrue(vm.errorMessage("return json.encode({ x = { 1, 2, a = 3 } })").hasSuffix("at $.x"))
        XCTAssertTrue(vm.errorMessage("return json.encode({ a = 1, [1] = 2 })").contains("mixed string and integer keys"))
        XCTAssertTrue(
            vm.errorMessage("return json.encode({ y = { [1] = 1, [3] = 3 } })").contains(
                "sparse array: 2 entries but largest key 3 (keys must be exactly 1..n) at $.y"))
        XCTAssertTrue(vm.errorMessage("return json.encode({ [0] = 1 })").contains("sparse array: integer key 0 outside 1..n at $"))
        XCTAssertTrue(vm.errorMessage("return json.encode({ [1.5] = 1 })").contains("non-integer number key 1.5"))
        XCTAssertTrue(
            vm.errorMessage("return json.encode({ [true] = 1 })").contains("key of type boolean (object keys must be strings) at $"))
        XCTAssertTrue(
            vm.errorMessage("return json.encode(json.array({ a = 1 }))").contains(#"string key "a" in a table marked by json.array"#))
    }

    func testUnencodableTypesRaiseNamingTypeAndPath() throws {
        XCTAssertTrue(
            vm.errorMessage("return json.encode({ a = { cb = function() end } })").contains(
                "json.encode: cannot encode a function at $.a.cb"))
        XCTAssertTrue(
            vm.errorMessage("return json.encode({ coroutine.create(function() end) })").contains("cannot encode a thread at $[1]"))
        XCTAssertTrue(
            vm.errorMessage(#"return json.encode({ ["two words"] = { function() end } })"#).contains(
                #"cannot encode a function at $["two words"][1]"#))
    }

    func testInvalidUTF8Raises() throws {
        XCTAssertTrue(vm.errorMessage(#"return json.encode({ name = "\xff" })"#).contains("json.encode: invalid UTF-8 in string at $.name"))
        XCTAssertTrue(vm.errorMessage(#"return json.encode({ "\xc3\x28" })"#).contains("invalid UTF-8 in string at $[1]"))
        // Overlong form and an encoded surrogate.
        XCTAssertTrue(vm.errorMessage(#"return json.encode("\xc0\xaf")"#).contains("invalid UTF-8"))
        XCTAssertTrue(vm.errorMessage(#"return json.encode("\xed\xa0\x80")"#).contains("invalid UTF-8"))
        XCTAssertTrue(vm.errorMessage(#"return json.encode({ ["\xff"] = 1 })"#).contains("invalid UTF-8 in key"))
    }

    func testCycleRaisesNamingThePath() throws {
        XCTAssertTrue(vm.errorMessage("local t = { a = {} } t.a.b = t return json.encode(t)").contains("json.encode: cycle at $.a.b"))
        XCTAssertTrue(vm.errorMessage("local t = {} t[1] = t return json.encode(t)").contains("json.encode: cycle at $[1]"))
        // The same table twice, not nested in itself, is no cycle.
        XCTAssertEqual(try vm.value("local s = { 1 } return json.encode({ a = s, b = s })"), #"{"a":[1],"b":[1]}"#)
    }

    func testDepth200EncodesAnd201Raises() throws {
        XCTAssertEqual(try vm.value("local t = {} for i = 2, 200 do t = { t } end return #json.encode(t)"), "400")
        let message = vm.errorMessage("local t = {} for i = 2, 201 do t = { t } end return json.encode(t)")
        XCTAssertTrue(
            message.contains("json.encode: nesting deeper than 200 at $[1][1][1][1][1][1]...(189 more)...[1][1][1][1][1]"), message)
    }

    func testSealedScriptTablesEncodeTheirContents() throws {
        let code = TestScripts.script(
            extra: "M.countries = { 'DE', 'AT' }\nM.fields = { a = 1 }",
            prepare: "return { url = 'https://x.example', body = json.encode({ c = M.countries, f = M.fields }) }",
            parse: "return { outcome = 'accepted' }")
        let instance = try TestScripts.instance(code)
        var sent: [UInt8] = []
        _ = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { request in
            sent = request.body
            return OutboundResponse(status: 200)
        }
        XCTAssertEqual(String(decoding: sent, as: UTF8.self), #"{"c":["DE","AT"],"f":{"a":1}}"#)
    }
}
