import CLua
import CLuaHost
import XCTest

/// The bounded library functions give stock Lua 5.4's results and errors (issue 9, point
/// 1b): one state holds both, the stock functions saved before the bounded ones replace
/// them, and a Lua driver calls each pair on the same arguments and reports every
/// difference. The fuzz target `pattern-differential` (docs/fuzzing.md) does the same on
/// inputs libFuzzer finds.
final class PatternDifferentialTests: XCTestCase {
    private var limits: UnsafeMutablePointer<clua_limits>!
    private var L: OpaquePointer!

    override func setUpWithError() throws {
        limits = .allocate(capacity: 1)
        limits.initialize(to: clua_limits())
        L = clua_newstate(limits)
        clua_open_base_libs(L)
        XCTAssertNil(
            run(
                """
                stock = {}
                for _, name in ipairs({ "find", "match", "gmatch", "gsub", "rep" }) do stock[name] = string[name] end
                for _, name in ipairs({ "concat", "insert", "remove", "move", "unpack", "sort" }) do stock[name] = table[name] end
                """))
        clua_open_bounded_libs(L)
    }

    override func tearDown() {
        lua_close(L)
        clua_free_small_blocks(limits)
        limits.deallocate()
    }

    /// Runs `code`; returns its first result as a string, or the error message.
    @discardableResult
    private func run(_ code: String) -> String? {
        let status = code.withCString { clua_load_text(L, $0, code.utf8.count, "=driver") }
        guard status == LUA_OK, clua_pcall(L, 0, 1, 0) == LUA_OK else {
            defer { clua_pop(L, 1) }
            return "driver failed: " + String(cString: clua_tolstring(L, -1, nil))
        }
        defer { clua_pop(L, 1) }
        guard let text = clua_tolstring(L, -1, nil) else { return nil }
        return String(cString: text)
    }

    /// The Lua side: `compare(name, ours, theirs, ...)` calls both under pcall and records a
    /// difference in results (types and values) or error messages.
    private let driver = #"""
        local differences = {}
        local function pack(...) return { n = select("#", ...), ... } end
        local function show(r)
          local parts = {}
          for i = 1, r.n do parts[i] = type(r[i]) .. ":" .. tostring(r[i]) end
          return table.concat(parts, ",")
        end
        -- An argument error names the function as the loaded tables know it ("string.find"
        -- before the sandbox seals them, "?" for the saved stock copies): not compared.
        local function without_name(r)
          if r[1] == false and type(r[2]) == "string" then r[2] = r[2]:gsub("^(bad argument #%d+ to )'[^']*'", "%1'f'") end
          return r
        end
        function compare(label, ours, theirs, ...)
          local a, b = without_name(pack(pcall(ours, ...))), without_name(pack(pcall(theirs, ...)))
          local same = a.n == b.n
          for i = 1, math.max(a.n, b.n) do
            if type(a[i]) ~= type(b[i]) or (type(a[i]) ~= "function" and a[i] ~= b[i]) then same = false end
          end
          if not same and #differences < 20 then
            differences[#differences + 1] = label .. " -> ours " .. show(a) .. " | stock " .. show(b)
          end
        end
        function all_matches(gmatch)
          return function(s, p, init)
            local out = {}
            for a, b, c in gmatch(s, p, init) do
              out[#out + 1] = tostring(a) .. "/" .. tostring(b) .. "/" .. tostring(c)
              if #out > 200 then break end
            end
            return table.concat(out, ";")
          end
        end
        function report() return #differences == 0 and "same" or table.concat(differences, "\n") end
        """#

    func testPatternsOfTheManualAndTheirEdges() {
        XCTAssertNil(run(driver))
        let result = run(
            #"""
            local cases = {
              { "hello world", "o w" }, { "hello", "l+" }, { "hello", "^h" }, { "hello", "o$" },
              { "hello", "^$" }, { "", "" }, { "", "^" }, { "a$b", "$b" }, { "a.b", "%." },
              { "key = value", "(%w+)%s*=%s*(%w+)" }, { "THE (quick) fox", "%((%a+)%)" },
              { "f(a(b)c)d", "%b()" }, { "x", "%b" }, { "x", "%bx" }, { "THE (quick) fox", "%f[%a]%a+" },
              { "hello", "()ll()" }, { "hello", "(l)(l)" }, { "abcabc", "(abc)%1" }, { "abab", "(ab)%2" },
              { "ab", "%0" }, { "abc", "(a" }, { "abc", "a)" }, { "abc", "[a" }, { "abc", "[]" },
              { "]", "[]]" }, { "a-z", "[a-]" }, { "-", "[%-]" }, { "x", "%" }, { "x", "[^%]" },
              { "a", "%fa" }, { "aaa", "a-" }, { "aaa", "a-$" }, { "aaa", "a?a?a?a?" },
              { "\0a\0", "%z" }, { "\0a\0", "\0a" }, { "a\0b", "[\0]" }, { "ab", ".-b" },
              { "aaab", "a*b" }, { "xyz", "[x-z]+" }, { "XYZ", "[^%l]+" }, { "1.5e3", "^[+-]?%d+%.?%d*[eE]?%d*$" },
              { string.rep("a", 40), string.rep("(a)", 33) }, { string.rep("(", 300), string.rep("%(", 300) },
              { "abc", string.rep("a?", 250) }, { "x", "%g%G%p%P%c%C%x%X%u%U%l%L%s%S%w%W%d%D%a%A" },
            }
            for i, c in ipairs(cases) do
              for _, init in ipairs({ 1, 2, -1, -100, 0, 100 }) do
                compare("find " .. i .. " init " .. init, string.find, stock.find, c[1], c[2], init)
                compare("plain " .. i, string.find, stock.find, c[1], c[2], init, true)
                compare("match " .. i, string.match, stock.match, c[1], c[2], init)
                compare("gmatch " .. i, all_matches(string.gmatch), all_matches(stock.gmatch), c[1], c[2], init)
              end
              for _, repl in ipairs({ "<%0>", "%1-%1", "%%", "%2", "%", "%x", 7, { hello = "HI", l = false }, function(x) return x and x:upper() end }) do
                compare("gsub " .. i .. " " .. tostring(repl), string.gsub, stock.gsub, c[1], c[2], repl)
                compare("gsub max " .. i, string.gsub, stock.gsub, c[1], c[2], repl, 1)
              end
            end
            compare("gsub no repl", string.gsub, stock.gsub, "x", "x")
            compare("gsub bad repl", string.gsub, stock.gsub, "x", "x", true)
            compare("gsub bad value", string.gsub, stock.gsub, "x", "x", function() return {} end)
            compare("find bad init", string.find, stock.find, "x", "x", 1.5)
            compare("find no pattern", string.find, stock.find, "x")
            return report()
            """#)
        XCTAssertEqual(result, "same")
    }

    func testRandomPatternsAgreeWithStockLua() {
        XCTAssertNil(run(driver))
        let result = run(
            #"""
            math.randomseed(20261207)
            local atoms = { "a", "b", ".", "%a", "%d", "%s", "%w", "%A", "[ab]", "[^a]", "[a-c]", "[%d%a]",
              "(", ")", "()", "%1", "%2", "%b()", "%f[%w]", "^", "$", "*", "+", "-", "?", "%", "[", "]", "%%" }
            local letters = { "a", "b", "c", "(", ")", " ", "1", "\0", "]", "%" }
            local function random_from(list, n)
              local out = {}
              for i = 1, n do out[i] = list[math.random(#list)] end
              return table.concat(out)
            end
            for i = 1, 20000 do
              local s = random_from(letters, math.random(0, 12))
              local p = random_from(atoms, math.random(0, 6))
              local init = math.random(-3, 14)
              compare("find " .. string.format("%q %q %d", s, p, init), string.find, stock.find, s, p, init)
              compare("match " .. string.format("%q %q", s, p), string.match, stock.match, s, p, init)
              compare("gmatch " .. string.format("%q %q", s, p), all_matches(string.gmatch), all_matches(stock.gmatch), s, p)
              compare("gsub " .. string.format("%q %q", s, p), string.gsub, stock.gsub, s, p, "[%0%1]", math.random(0, 3))
            end
            return report()
            """#)
        XCTAssertEqual(result, "same")
    }

    func testRepAndTableFunctionsAgreeWithStockLua() {
        XCTAssertNil(run(driver))
        let result = run(
            #"""
            local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end
            local function sorted(sort)
              return function(t, f) local c = copy(t) sort(c, f) return table.concat(c, ",") end
            end
            local function mutated(op)
              return function(t, ...)
                local c = copy(t)
                local r = op(c, ...)
                if type(r) == "table" then r = r == c and "the same table" or "another table" end
                return tostring(r) .. "|" .. table.concat(c, ",")
              end
            end
            for _, args in ipairs({ { "ab", 3 }, { "ab", 3, "," }, { "", 5 }, { "x", 0 }, { "x", -1 }, { 12, 2 }, { "x", 1.5 }, { "x", 2, 7 } }) do
              compare("rep " .. tostring(args[1]) .. tostring(args[2]), string.rep, stock.rep, table.unpack(args))
            end
            local t = { "c", "a", "b", "e", "d" }
            for _, range in ipairs({ {}, { "," }, { ",", 2 }, { ",", 2, 4 }, { ",", 4, 2 }, { ",", 1, 6 } }) do
              compare("concat", table.concat, stock.concat, t, table.unpack(range))
            end
            compare("concat bad", table.concat, stock.concat, { 1, {}, 3 })
            compare("concat string", table.concat, stock.concat, "abc")
            for _, args in ipairs({ { "z" }, { 1, "z" }, { 6, "z" }, { 7, "z" }, { 0, "z" }, { 1, "z", "y" } }) do
              compare("insert", mutated(table.insert), mutated(stock.insert), t, table.unpack(args))
            end
            for _, args in ipairs({ {}, { 1 }, { 5 }, { 6 }, { 7 }, { 0 } }) do
              compare("remove", mutated(table.remove), mutated(stock.remove), t, table.unpack(args))
            end
            compare("remove empty", mutated(table.remove), mutated(stock.remove), {}, 0)
            for _, args in ipairs({ { 1, 3, 2 }, { 2, 4, 1 }, { 1, 5, 3, {} }, { 3, 1, 1 }, { 1, 6, 2 }, { math.mininteger, 1, 1 }, { 1, math.maxinteger, 2 } }) do
              compare("move", mutated(table.move), mutated(stock.move), t, table.unpack(args))
            end
            for _, args in ipairs({ {}, { 2 }, { 2, 4 }, { 4, 2 }, { -1, 1 }, { 1, 1e8 } }) do
              compare("unpack", table.unpack, stock.unpack, t, table.unpack(args))
            end
            math.randomseed(7)
            for n = 0, 60 do
              local u = {}
              for i = 1, n do u[i] = math.random(1, 20) end
              compare("sort " .. n, sorted(table.sort), sorted(stock.sort), u)
              compare("sort desc " .. n, sorted(table.sort), sorted(stock.sort), u, function(a, b) return a > b end)
            end
            compare("sort mixed", sorted(table.sort), sorted(stock.sort), { 1, "x" })
            compare("sort bad f", sorted(table.sort), sorted(stock.sort), { 3, 1, 2 }, 5)
            return report()
            """#)
        XCTAssertEqual(result, "same")
    }
}
