import CLua
import Host
import LeadJSON
import XCTest

/// The `json` module as a whole: round trips, `json.array`, `json.null`, and the
/// protection of the array metatable.
final class JSONModuleTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    func testRoundTripsAreIdentical() throws {
        let documents = [
            #"{"a":[1,2.5,"x",true,false,null],"b":{"c":{},"d":[]},"e":"é/😀\n","f":-9007199254740993,"g":1e-07}"#,
            #"[[],{},[[]],[{}],"",0,-1,1.7976931348623157e+308,5e-324]"#,
            #""just a string""#,
            #"{"":1,"\u0001":"\"\\"}"#,
        ]
        for document in documents {
            let once = try XCTUnwrap(vm.value("return json.encode(json.decode([==[\(document)]==]))"))
            XCTAssertEqual(once, document)
            let twice = try XCTUnwrap(vm.value("return json.encode(json.decode(json.encode(json.decode([==[\(document)]==]))))"))
            XCTAssertEqual(twice, once)
        }
    }

    func testLuaToJSONToLuaToJSONIsStable() throws {
        let code = """
            local lead = { id = "L-1", price = 49.0, ratio = 0.1, tags = json.array(), items = { { sku = "a", count = 1 } },
                           address = { city = "Köln" }, none = json.null, big = 9007199254740993 }
            local first = json.encode(lead)
            local second = json.encode(json.decode(first))
            return first == second and first
            """
        XCTAssertEqual(
            try vm.value(code),
            #"{"address":{"city":"Köln"},"big":9007199254740993,"id":"L-1","items":[{"count":1,"sku":"a"}],"none":null,"price":49,"ratio":0.1,"tags":[]}"#
        )
    }

    /// Special bytes at every position of the eight-byte words the scanners skip over.
    func testSpecialCharactersAtEveryPosition() throws {
        let code = #"""
            local specials = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\1'] = '\\u0001', ['\31'] = '\\u001f',
                               ['é'] = 'é', ['\127'] = '\127', [' '] = ' ', ['~'] = '~', ['/'] = '/' }
            local checked = 0
            for pos = 0, 19 do
              for c, escaped in pairs(specials) do
                local s = string.rep('a', pos) .. c .. string.rep('b', 19 - pos)
                local e = json.encode(s)
                if e ~= '"' .. string.rep('a', pos) .. escaped .. string.rep('b', 19 - pos) .. '"' then return 'encode ' .. e end
                if json.decode(e) ~= s then return 'decode ' .. e end
                checked = checked + 1
              end
              local bad = string.rep('a', pos) .. '\255' .. string.rep('b', 19 - pos)
              if pcall(json.encode, bad) then return 'accepted invalid UTF-8 at ' .. pos end
              if pcall(json.decode, '"' .. bad .. '"') then return 'decoded invalid UTF-8 at ' .. pos end
              local raw = '"' .. string.rep('a', pos) .. '\t' .. string.rep('b', 19 - pos) .. '"'
              if pcall(json.decode, raw) then return 'decoded a raw tab at ' .. pos end
            end
            return checked
            """#
        XCTAssertEqual(try vm.value(code), "200")
    }

    func testArrayMarksTheGivenTableOrANewOne() throws {
        XCTAssertEqual(try vm.value("local t = { 1 } return json.array(t) == t"), "true")
        XCTAssertEqual(try vm.value("return json.encode(json.array(json.array({})))"), "[]")
        XCTAssertEqual(try vm.value("return json.encode({ ids = json.array(nil) })"), #"{"ids":[]}"#)
        XCTAssertTrue(vm.errorMessage("return json.array(setmetatable({}, {}))").contains("json.array: the table already has a metatable"))
        XCTAssertTrue(vm.errorMessage("return json.array('x')").contains("json.array: expected a table or nothing, got string"))
    }

    func testArrayMetatableCannotBeReadOrReplaced() throws {
        XCTAssertEqual(try vm.value("return getmetatable(json.array())"), "json.array")
        XCTAssertTrue(vm.errorMessage("return setmetatable(json.array(), {})").contains("cannot change a protected metatable"))
        XCTAssertTrue(vm.errorMessage("return setmetatable(json.decode('[]'), nil)").contains("cannot change a protected metatable"))
        // A look-alike metatable does not make an array.
        XCTAssertEqual(try vm.value("return json.encode(setmetatable({}, { __metatable = 'json.array' }))"), "{}")
    }

    func testNullIsOneValuePerVM() throws {
        XCTAssertEqual(try vm.value("return type(json.null)"), "userdata")
        XCTAssertEqual(try vm.value("return json.null == json.decode('null')"), "true")
        let other = try LuaVM()
        let s = LuaState(other.L)
        s.pushNull()
        XCTAssertTrue(s.isNull(-1))
        s.pop()
    }

    func testModuleTableIsReadOnlyAfterSeal() throws {
        lua_pushnil(vm.L)
        XCTAssertNil(vm.seal())
        let message = vm.errorMessage("json.null = 1")
        XCTAssertTrue(message.contains("library table 'json'"), message)
        XCTAssertEqual(try vm.value("return json.encode({ json.null })"), "[null]")
    }

    // MARK: LuaJSON, as the runtime uses it

    func testLuaJSONEncodeAppendsAndLeavesTheStack() throws {
        let s = LuaState(vm.L)
        XCTAssertNil(try vm.evaluate("t = { b = 2, a = { 1 } }").get())
        lua_getglobal(vm.L, "t")
        let top = s.top
        var out = Array("prefix:".utf8)
        XCTAssertNil(LuaJSON.encode(s, at: -1, into: &out))
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"prefix:{"a":[1],"b":2}"#)
        XCTAssertEqual(s.top, top)
        s.pop()
    }

    func testLuaJSONEncodeFailureAppendsNothing() throws {
        let s = LuaState(vm.L)
        XCTAssertNil(try vm.evaluate("bad = { a = 1, b = { f = function() end } }").get())
        lua_getglobal(vm.L, "bad")
        let top = s.top
        var out = Array("x".utf8)
        XCTAssertEqual(LuaJSON.encode(s, at: -1, into: &out)?.message, "cannot encode a function at $.b.f")
        XCTAssertEqual(out, Array("x".utf8))
        XCTAssertEqual(s.top, top)
        s.pop()
    }

    func testLuaJSONDecodePushesOneValueOrNothing() throws {
        let s = LuaState(vm.L)
        let top = s.top
        let good = Array(#"{"status":true,"data":{"id":"123"}}"#.utf8)
        XCTAssertNil(good.withUnsafeBytes { LuaJSON.decode(s, $0) })
        XCTAssertEqual(s.top, top + 1)
        XCTAssertEqual(try s.jsonValue(at: -1), .object(["status": .bool(true), "data": .object(["id": .string("123")])]))
        s.pop()
        let bad = Array("[1,\n 2,\n x]".utf8)
        XCTAssertEqual(bad.withUnsafeBytes { LuaJSON.decode(s, $0) }?.message, "line 3, column 2: expected a value")
        XCTAssertEqual(s.top, top)
    }

    func testPushedJSONValueArraysStayArrays() throws {
        let s = LuaState(vm.L)
        s.push(JSONValue.object(["list": .array([]), "map": .object([:]), "n": .null, "k\u{0}ey": .integer(1)]))
        lua_setglobal(vm.L, "v")
        XCTAssertEqual(try vm.value("return json.encode(v)"), #"{"k\u0000ey":1,"list":[],"map":{},"n":null}"#)
    }

    /// A Lua table may hold keys that are different bytes of the same Unicode text; a
    /// `JSONValue` cannot keep them apart, so reading the table (an outcome's `extra`, a
    /// parameter's default) is an error instead of silently keeping one of the two values.
    func testJSONValueFromLuaRefusesKeysThatAreOneTextInTwoUnicodeForms() throws {
        let s = LuaState(vm.L)
        XCTAssertNil(try vm.evaluate(#"v = { ["caf\u{e9}"] = 1, ["cafe\u{301}"] = 2 }"#).get())
        lua_getglobal(vm.L, "v")
        defer { s.pop() }
        XCTAssertThrowsError(try s.jsonValue(at: -1)) { error in
            XCTAssertEqual(
                (error as? LuaValueError)?.message,
                #"key "caf\u00e9" and the earlier key "cafe\u0301" are the same text in two Unicode forms"#)
        }
    }

    func testJSONValueFromLuaFollowsEncodeRules() throws {
        let s = LuaState(vm.L)
        XCTAssertNil(try vm.evaluate("v = { price = 49.0, ratio = 0.5, tags = json.array(), none = json.null }").get())
        lua_getglobal(vm.L, "v")
        defer { s.pop() }
        XCTAssertEqual(try s.jsonValue(at: -1), .object(["price": .integer(49), "ratio": .number(0.5), "tags": .array([]), "none": .null]))
        XCTAssertNil(try vm.evaluate("w = { f = function() end }").get())
        lua_getglobal(vm.L, "w")
        defer { s.pop() }
        XCTAssertThrowsError(try s.jsonValue(at: -1)) { error in
            XCTAssertEqual((error as? LuaValueError)?.message, "cannot encode a function at $.f")
        }
    }
}
