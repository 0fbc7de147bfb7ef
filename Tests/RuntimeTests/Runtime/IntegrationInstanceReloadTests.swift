import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// `IntegrationInstance(reloading:)` loads a script again into the VM of an earlier
/// instance: the sandbox holds as on a new VM, and nothing of the earlier loads stays
/// behind (issue 13, point 7).
final class IntegrationInstanceReloadTests: XCTestCase {
    static let shared = LuaSource(name: "lib/shared.lua", code: "return { list = { 1, 2 }, greet = function() return 'hi' end }")

    func reload(_ previous: IntegrationInstance, _ code: String) throws -> IntegrationInstance {
        try IntegrationInstance(reloading: previous, source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua")
    }

    func run(_ instance: IntegrationInstance, id: String = "L-1") -> CallResult {
        var lead = TestScripts.lead.objectValue!
        lead["id"] = .string(id)
        return instance.run(CallInput(action: .push, lead: .object(lead), now: 0)) { _ in OutboundResponse(status: 200) }
    }

    /// The attacks of `SealedTableTests` on the third load of a script into one VM.
    func testEverySealedTableStaysReadOnlyOnAReloadedVM() throws {
        let code = TestScripts.script(
            extra: "M.actions = M.actions",
            prepare: """
                  if lead.id == "probe" then
                    local leaked = {}
                    for _, name in ipairs({ "string", "table", "json", "fields" }) do
                      if _G[name].LEAKED ~= nil then leaked[#leaked + 1] = name end
                    end
                    if _G.LEAKED ~= nil or M.LEAKED ~= nil then leaked[#leaked + 1] = "_G or M" end
                    return { outcome = "rejected", reason = "unknown", message = "leaked: " .. table.concat(leaked, ",") }
                  end
                  local attacks = load(\(SealedTableTests.luaString(SealedTableTests.attacks)), "attacks", "t", setmetatable({ M = M }, { __index = _G }))
                  return { outcome = "rejected", reason = "unknown", message = attacks() }
                """,
            parse: "return {}")
        var instance = try TestScripts.instance(code, libraries: ["lib.shared": Self.shared])
        let vm = instance.vm
        for _ in 0..<2 {
            XCTAssertEqual(run(instance).outcome?.message, "none")
            instance = try reload(instance, code)
        }
        XCTAssertTrue(instance.vm === vm)
        XCTAssertEqual(run(instance).outcome?.message, "none")
        XCTAssertEqual(run(instance, id: "probe").outcome?.message, "leaked: ", "a write survived into the next lead")
    }

    /// What a load wrote into its globals and library tables while it could (the string
    /// methods included) is gone for the next load.
    func testALoadSeesNothingAnEarlierLoadWrote() throws {
        let code = TestScripts.script(
            extra: """
                counter = (rawget(_G, "counter") or 0) + 1
                table.mark = (table.mark or 0) + 1
                string.mark = (string.mark or 0) + 1
                """,
            prepare: """
                  return { outcome = "rejected", reason = "unknown",
                    message = string.format("%d %d %d %d", counter, table.mark, string.mark, ("x").mark) }
                """,
            parse: "return {}")
        var instance = try TestScripts.instance(code)
        for _ in 0..<3 {
            XCTAssertEqual(run(instance).outcome?.message, "1 1 1 1")
            instance = try reload(instance, code)
        }
    }

    /// Each load's hooks, offer parameters, globals and library copies become garbage once
    /// the next load is in: 300 loads leave the VM no bigger than 10 did.
    func testReloadingManyTimesDoesNotGrowTheVM() throws {
        let code = TestScripts.script(
            extra: "local shared = require('lib.shared')",
            prepare: "return { url = ctx.params.base_url .. '/leads', json = { id = lead.id, greet = shared.greet() } }",
            parse: "return { outcome = 'accepted', external_id = 'x' }")
        var instance = try TestScripts.instance(code, libraries: ["lib.shared": Self.shared])
        var after10 = 0
        for n in 1...300 {
            XCTAssertEqual(run(instance).outcome?.kind, .accepted)
            instance = try reload(instance, code)
            if n == 10 { after10 = instance.memoryInUse }
        }
        XCTAssertLessThan(instance.memoryInUse, after10 + 32 * 1024, "after 10 loads: \(after10) bytes")
    }

    func testAnAbandonedVMIsNotReloaded() throws {
        let code = TestScripts.script(prepare: "return { url = 'https://crm.example/x' }", parse: "return {}")
        let instance = try TestScripts.instance(code)
        instance.vm.abandon()
        XCTAssertThrowsError(try reload(instance, code)) { error in
            XCTAssertTrue("\(error)".contains("abandoned"), "\(error)")
        }
    }
}
