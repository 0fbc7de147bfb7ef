import Host
import XCTest

/// `fields`: the native lead-field checks behind lib/lead.lua. They replaced Lua-pattern
/// versions, which are kept here as the reference: on a corpus of odd and random values
/// both must agree exactly.
final class FieldsModuleTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM(limits: .outOfTheWay) }

    func testTextTrimsAndConvertsScalars() throws {
        XCTAssertEqual(try vm.value("return fields.text('  Anna \\t\\n')"), "Anna")
        XCTAssertEqual(try vm.value("return fields.text('\\v\\f\\r x y \\r')"), "x y")
        XCTAssertEqual(try vm.value("return tostring(fields.text('   '))"), "nil")
        XCTAssertEqual(try vm.value("return tostring(fields.text(''))"), "nil")
        XCTAssertEqual(try vm.value("return fields.text(49.0) .. '|' .. fields.text(-0.0) .. '|' .. fields.text(12)"), "49|0|12")
        XCTAssertEqual(
            try vm.value("return fields.text(1.5) .. '|' .. fields.text(2^60) .. '|' .. fields.text(true)"), "1.5|1.1529215046068e+18|true")
        XCTAssertEqual(
            try vm.value("return tostring(fields.text({})) .. tostring(fields.text(json.null)) .. tostring(fields.text(nil))"), "nilnilnil")
        XCTAssertEqual(try vm.value("local s = 'same'; return tostring(rawequal(fields.text(s), s))"), "true")
    }

    func testChecksAndNormalisers() throws {
        XCTAssertEqual(try vm.value("return fields.email(' anna@example.com ')"), "anna@example.com")
        XCTAssertEqual(
            try vm.value(
                "return tostring(fields.email('a@b.')) .. tostring(fields.email('a@.b')) .. tostring(fields.email('a@@b.c')) .. tostring(fields.email('a b@c.d'))"
            ), "nilnilnilnil")
        XCTAssertEqual(
            try vm.value("return fields.phone_digits('+49 151 123-456') .. '|' .. fields.phone_plus(4915112345678)"),
            "49151123456|+4915112345678")
        XCTAssertEqual(try vm.value("return tostring(fields.phone_digits('12-34'))"), "nil")
        XCTAssertEqual(
            try vm.value("return fields.country(' de ') .. fields.language('de-AT') .. fields.language('EN_us') .. fields.language('Fr')"),
            "DEdeenfr")
        XCTAssertEqual(
            try vm.value("return tostring(fields.country('DEU')) .. tostring(fields.language('deu')) .. tostring(fields.country('d1'))"),
            "nilnilnil")
        XCTAssertEqual(
            try vm.value("return fields.ip('203.0.113.7') .. '|' .. fields.ip('2001:db8::1') .. '|' .. fields.ip('::ffff:10.0.0.1')"),
            "203.0.113.7|2001:db8::1|::ffff:10.0.0.1")
        XCTAssertEqual(
            try vm.value(
                "return tostring(fields.ip('256.1.1.1')) .. tostring(fields.ip('1.2.3')) .. tostring(fields.ip('0001.1.1.1')) .. tostring(fields.ip('fe80::g'))"
            ), "nilnilnilnil")
        XCTAssertEqual(
            try vm.value(
                """
                local yes = fields.flag(true) and fields.flag(1) and fields.flag(1.0) and fields.flag(' YES ') and fields.flag('On') and fields.flag('true')
                local no = fields.flag(false) or fields.flag(0) or fields.flag(2) or fields.flag('no') or fields.flag('') or fields.flag({}) or fields.flag(nil)
                return tostring(yes) .. tostring(no)
                """), "truefalse")
    }

    /// The Lua-pattern versions the native functions replaced, run side by side on
    /// fixed edge cases and 20,000 random strings over the interesting bytes.
    func testAgreesWithThePatternVersionsOnACorpus() throws {
        let mismatches = try vm.value(
            #"""
            local ref = {}
            function ref.text(v)
              local kind = type(v)
              if kind == "string" then
                local s = v:match("^%s*(.-)%s*$")
                if s ~= "" then return s end
              elseif kind == "number" then
                if math.type(v) == "float" and v == math.floor(v) and v > -2^53 and v < 2^53 then
                  return string.format("%d", v)
                end
                return tostring(v)
              elseif kind == "boolean" then
                return tostring(v)
              end
              return nil
            end
            function ref.flag(v)
              if v == true or v == 1 or v == "1" then return true end
              if v == nil or v == false or v == 0 or v == "0" or v == "" then return false end
              local s = ref.text(v)
              if not s then return false end
              s = s:lower()
              return s == "1" or s == "true" or s == "yes" or s == "on"
            end
            function ref.phone_digits(v)
              local s = ref.text(v)
              if not s then return nil end
              local digits = s:gsub("%D", "")
              if #digits < 5 then return nil end
              return digits
            end
            function ref.phone_plus(v)
              local d = ref.phone_digits(v)
              return d and "+" .. d
            end
            function ref.country(v)
              local s = ref.text(v)
              if not s or not s:match("^%a%a$") then return nil end
              return s:upper()
            end
            function ref.language(v)
              local s = ref.text(v)
              if not s then return nil end
              local code = s:match("^(%a%a)$") or s:match("^(%a%a)[-_]")
              return code and code:lower()
            end
            function ref.email(v)
              local s = ref.text(v)
              if not s or not s:match("^[^@%s]+@[^@%s]+%.[^@%s]+$") then return nil end
              return s
            end
            local function octet_ok(part) return #part <= 3 and tonumber(part) <= 255 end
            function ref.ip(v)
              local s = ref.text(v)
              if not s then return nil end
              local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
              if a then
                if octet_ok(a) and octet_ok(b) and octet_ok(c) and octet_ok(d) then return s end
                return nil
              end
              if s:find(":", 1, true) and s:match("^[%x:%.]+$") then return s end
              return nil
            end

            local values = {
              "", " ", "\t\n\v\f\r ", "a", " a ", "Anna Schmidt", "anna@example.com", " a@b.c ",
              "a@b", "a@.b", "a@b.", "@b.c", "a@@b.c", "a@b@c.d", "a b@c.d", "é@ü.de", "a@b..c",
              "+49 151 1234-5678", "1234", "12345", "0049(0)151", "DE", "de", "d", "DEU", "d1",
              "de-AT", "en_US", "fr ", "EN", "e-", "203.0.113.7", "255.255.255.255", "256.0.0.1",
              "1.2.3", "1.2.3.4.5", "01.02.003.4", "0001.1.1.1", "1..2.3", "99999999999999999999.1.1.1",
              "2001:db8::1", "::", "fe80::1%eth0", "1.2.3.4:80", ":", "...", "1", "0", "true",
              "TRUE", " yes ", "On", "off", "no", "\0", "a\0b", "\128\255",
              0, 1, -1, 2, 1.0, 0.0, -0.0, 1.5, 49.0, 4915112345678, 2^53, -2^53, 2^63, 1e300,
              0/0, 1/0, -1/0, true, false, json.null, {}, print,
            }
            local bytes = { " ", "\t", "\n", "@", ".", ":", "-", "_", "+", "0", "1", "2", "5", "9",
                            "a", "f", "g", "z", "A", "F", "Z", "\200", "(", "%" }
            local seed = 12345
            local function rand(n)
              seed = (seed * 1103515245 + 12345) % 2147483648
              return seed % n + 1
            end
            for _ = 1, 20000 do
              local parts = {}
              for i = 1, rand(14) - 1 do parts[i] = bytes[rand(#bytes)] end
              values[#values + 1] = table.concat(parts)
            end

            local names = { "text", "flag", "phone_digits", "phone_plus", "country", "language", "email", "ip" }
            local bad = {}
            for _, v in ipairs(values) do
              for _, name in ipairs(names) do
                local want, got = ref[name](v), fields[name](v)
                if want ~= got and not (want ~= want and got ~= got) then
                  bad[#bad + 1] = string.format("%s(%q): want %s, got %s", name, tostring(v), tostring(want), tostring(got))
                end
              end
            end
            return #bad == 0 and "none" or (#bad .. " mismatches, first: " .. bad[1])
            """#)
        XCTAssertEqual(mismatches, "none")
    }
}
