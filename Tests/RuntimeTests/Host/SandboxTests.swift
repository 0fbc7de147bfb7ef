import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// One test per capability the sandbox removes (contract, section 4).
final class SandboxTests: XCTestCase {
    var vm: LuaVM!

    override func setUpWithError() throws { vm = try LuaVM() }

    func testNoIOLibrary() throws {
        XCTAssertEqual(try vm.value("return type(io)"), "nil")
    }

    func testNoOSExecuteButTimeDateClock() throws {
        XCTAssertEqual(try vm.value("return type(os.execute)"), "nil")
        XCTAssertEqual(try vm.value("return type(os.getenv)"), "nil")
        XCTAssertEqual(try vm.value("return type(os.remove)"), "nil")
        XCTAssertEqual(try vm.value("return type(os.time) .. type(os.date) .. type(os.clock)"), "functionfunctionfunction")
    }

    func testNoLoadfileOrDofile() throws {
        XCTAssertEqual(try vm.value("return type(loadfile)"), "nil")
        XCTAssertEqual(try vm.value("return type(dofile)"), "nil")
    }

    func testLoadRefusesBinaryChunks() throws {
        XCTAssertEqual(
            try vm.value("local f, err = load('\\27LuaT\\0\\25\\147'); return err"),
            "attempt to load a binary chunk (mode is 't')")
        guard case .failure(let e) = vm.evaluate("return load('return 1', 'x', 'b')") else { return XCTFail("binary mode allowed") }
        XCTAssertTrue(e.message.contains("only text chunks"), e.message)
        XCTAssertEqual(try vm.value("return load('return 40 + 2')()"), "42")
    }

    /// As in plain Lua: without an `env` argument a loaded chunk sees the globals; an
    /// explicit `env` (nil included) is its `_ENV`. (Failed before: the wrapper always passed
    /// `env`, so `load(s)` gave the chunk `_ENV = nil` and it could read no global.)
    func testLoadWithoutEnvSeesTheGlobalsAndAnExplicitEnvIsKept() throws {
        XCTAssertEqual(try vm.value("return load('return type(string.format)')()"), "function")
        XCTAssertEqual(try vm.value("return load('return type(string)', 'chunk')()"), "table")
        XCTAssertEqual(try vm.value("return load('return type(string)', 'chunk', 't')()"), "table")
        XCTAssertEqual(try vm.value("return load('return x', 'chunk', 't', { x = 5 })()"), "5")
        XCTAssertEqual(try vm.value("local ok = pcall(load('return x', 'chunk', 't', nil)); return tostring(ok)"), "false")
    }

    func testNoStringDump() throws {
        XCTAssertEqual(try vm.value("return type(string.dump)"), "nil")
    }

    func testDebugHasOnlyTraceback() throws {
        XCTAssertEqual(try vm.value("return type(debug.sethook)"), "nil")
        XCTAssertEqual(try vm.value("return type(debug.getinfo)"), "nil")
        XCTAssertEqual(try vm.value("return type(debug.traceback)"), "function")
    }

    func testNoPackageLibrary() throws {
        XCTAssertEqual(try vm.value("return type(package)"), "nil")
        guard case .failure(let e) = vm.evaluate("return require('os')") else { return XCTFail("require of a non-lib module worked") }
        XCTAssertTrue(e.message.contains("only \"lib.<name>\""), e.message)
    }

    func testCollectgarbageOnlyCounts() throws {
        XCTAssertEqual(try vm.value("return type(collectgarbage('count'))"), "number")
        guard case .failure(let e) = vm.evaluate("collectgarbage('collect')") else { return XCTFail("collect allowed") }
        XCTAssertTrue(e.message.contains("only \"count\""), e.message)
    }

    func testSetmetatableRefusesFinalizers() throws {
        guard case .failure(let e) = vm.evaluate("setmetatable({}, { __gc = function() while true do end end })") else {
            return XCTFail("__gc accepted")
        }
        XCTAssertTrue(e.message.contains("__gc"), e.message)
        XCTAssertEqual(try vm.value("return getmetatable(setmetatable({}, { __index = { a = 1 } })).__index.a"), "1")
    }

    func testStringMetatableIsHidden() throws {
        XCTAssertEqual(try vm.value("return getmetatable('')"), "string")
    }

    func testGlobalAssignmentAfterLoadRaises() throws {
        let code = TestScripts.script(prepare: "leaked = lead.email\n return { url = 'https://x.example' }", parse: "return {}")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("globals are read-only") ?? false, result.outcome?.message ?? "")
    }

    func testLibraryAndScriptTablesAreReadOnlyAfterLoad() throws {
        let code = TestScripts.script(
            extra: "M.seen = {}",
            prepare: """
                  local ok1, e1 = pcall(function() string.upper = nil end)
                  local ok2, e2 = pcall(function() M.seen[lead.id] = true end)
                  local ok3, e3 = pcall(rawset, M, "x", 1)
                  return { outcome = "rejected", reason = "unknown", message = tostring(ok1) .. tostring(ok2) .. tostring(ok3) .. " " .. e1 .. " | " .. e2 .. " | " .. e3 }
                """,
            parse: "return {}")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        let message = result.outcome?.message ?? ""
        XCTAssertTrue(message.hasPrefix("falsefalsefalse"), message)
        XCTAssertTrue(message.contains("library table 'string'"), message)
        XCTAssertTrue(message.contains("read-only"), message)
    }

    /// Every host module is sealed like the standard ones, the newer `fields` included.
    func testHostModuleTablesAreReadOnlyAfterLoad() throws {
        let code = TestScripts.script(
            prepare: """
                  local out = {}
                  for _, name in ipairs({ "json", "http", "crypto", "url", "time", "log", "cache", "fields" }) do
                    local ok, e = pcall(function() _G[name].text = function() return "hijacked" end end)
                    out[#out + 1] = name .. "=" .. tostring(ok) .. (ok and "" or (e:find("library table '" .. name .. "'", 1, true) and "" or "?"))
                  end
                  return { outcome = "rejected", reason = "unknown", message = table.concat(out, " ") .. " " .. tostring(fields.text(" x ")) }
                """,
            parse: "return {}")
        let instance = try TestScripts.instance(code)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        XCTAssertEqual(
            result.outcome?.message,
            "json=false http=false crypto=false url=false time=false log=false cache=false fields=false x")
    }

    func testRequireLoadsOnlyFromLibraries() throws {
        vm.libraries["lib.greet"] = LuaSource(name: "lib/greet.lua", code: "return { hello = function(n) return 'hello ' .. n end }")
        XCTAssertEqual(try vm.value("return require('lib.greet').hello('Anna')"), "hello Anna")
        guard case .failure(let e) = vm.evaluate("return require('lib.missing')") else { return XCTFail("missing lib loaded") }
        XCTAssertTrue(e.message.contains("integrations/lib/missing.lua"), e.message)
        guard case .failure(let e2) = vm.evaluate("return require('lib/../secret')") else { return XCTFail("path lib loaded") }
        XCTAssertTrue(e2.message.contains("only \"lib.<name>\""), e2.message)
    }

    func testPrintIsLogInfo() throws {
        XCTAssertEqual(try vm.value("return print == log.info"), "true")
    }
}
