import Host
import XCTest

/// `url`: RFC 3986 percent-encoding and query strings (same rules as `FormEncoding`).
final class URLModuleTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    private func failure(_ code: String) -> String {
        guard case .failure(let e) = vm.evaluate(code) else { return "no error" }
        return e.message
    }

    func testEncodeKeepsOnlyUnreserved() throws {
        XCTAssertEqual(try vm.value("return url.encode('AZaz09-._~')"), "AZaz09-._~")
        XCTAssertEqual(try vm.value("return url.encode('a b&c/d?e=f+g%')"), "a%20b%26c%2Fd%3Fe%3Df%2Bg%25")
        XCTAssertEqual(try vm.value("return url.encode('é\\0\\255')"), "%C3%A9%00%FF")
        XCTAssertEqual(try vm.value("return url.encode(12.5)"), "12.5")
        XCTAssertTrue(failure("return url.encode({})").contains("url.encode: expected a string, got table"))
    }

    func testDecodeHandlesPlusAndMalformedEscapes() throws {
        XCTAssertEqual(try vm.value("return url.decode('a%20b+c%2fd%2F')"), "a b c/d/")
        XCTAssertEqual(try vm.value("return url.decode('100%zz%4')"), "100%zz%4")
        XCTAssertEqual(try vm.value("return url.decode('%') .. url.decode('%41')"), "%A")
        XCTAssertEqual(try vm.value("return url.decode('%00%FF') == '\\0\\255'"), "true")
    }

    func testEncodeDecodeRoundTripAllBytes() throws {
        XCTAssertEqual(
            try vm.value(
                """
                local t = {}
                for i = 0, 255 do t[#t + 1] = string.char(i) end
                local s = table.concat(t)
                return url.decode(url.encode(s)) == s
                """), "true")
    }

    func testQuerySortsKeysByBytesAndEncodes() throws {
        XCTAssertEqual(
            try vm.value("return url.query({ b = 'x y', a = 1, B = true, c = false, d = 2.5 })"),
            "B=true&a=1&b=x%20y&c=false&d=2.5")
        XCTAssertEqual(try vm.value("return url.query({ ['k&=k'] = 'v&=v' })"), "k%26%3Dk=v%26%3Dv")
        XCTAssertEqual(try vm.value("return url.query({})"), "")
    }

    func testQueryRepeatsKeyForArrays() throws {
        XCTAssertEqual(try vm.value("return url.query({ z = 0, ids = { 3, 'a b', 1 } })"), "ids=3&ids=a%20b&ids=1&z=0")
        XCTAssertEqual(try vm.value("return url.query({ a = {}, b = json.null, c = 'x' })"), "c=x")
    }

    func testQueryRefusesNestedTablesAndOddValues() {
        XCTAssertTrue(failure("return url.query({ a = { b = 1 } })").contains("url.query: nested table under key 'a'"))
        XCTAssertTrue(failure("return url.query({ a = { { 1 } } })").contains("url.query: unsupported table at 'a'[1]"))
        XCTAssertTrue(failure("return url.query({ f = print })").contains("url.query: unsupported function at 'f'"))
        XCTAssertTrue(failure("return url.query('a=1')").contains("url.query: expected a table, got string"))
    }

    func testParseQuery() throws {
        XCTAssertEqual(
            try vm.value(
                """
                local q = url.parse_query('?id=7&name=J%C3%BCrgen+K&flag&empty=&tag=a&tag=b&tag=c&&x=1=2')
                return table.concat({ q.id, q.name, '[' .. q.flag .. ']', '[' .. q.empty .. ']',
                  type(q.tag), q.tag[1], q.tag[2], q.tag[3], tostring(#q.tag), q.x }, '|')
                """), "7|Jürgen K|[]|[]|table|a|b|c|3|1=2")
        XCTAssertEqual(try vm.value("return next(url.parse_query('')) == nil and next(url.parse_query('?')) == nil"), "true")
    }

    func testQueryAndParseQueryRoundTrip() throws {
        XCTAssertEqual(
            try vm.value(
                """
                local q = url.parse_query(url.query({ a = 'x&y=z', list = { '1', '2' }, ['ü'] = '%' }))
                return q.a .. '|' .. q.list[1] .. q.list[2] .. '|' .. q['ü']
                """), "x&y=z|12|%")
    }
}
