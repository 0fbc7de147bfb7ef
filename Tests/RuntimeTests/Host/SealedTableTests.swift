import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// Every table the sandbox seals (the globals, the libraries, the host modules, a lib's table
/// and the script's own table, nested tables included) refuses every way of writing it, and
/// nothing written survives into the next lead (issue 9, point 2).
final class SealedTableTests: XCTestCase {
    /// Lua that walks the sealed tables and tries each way of writing each one; returns the
    /// ways that worked, or "none".
    static let attacks = #"""
        local sealed = { _G = _G, M = M, ["M.params"] = M.params, ["M.actions"] = M.actions, lib = require("lib.shared") }
        for _, name in ipairs({ "string", "table", "math", "coroutine", "utf8", "os", "debug",
                                "json", "http", "crypto", "url", "time", "log", "cache", "fields" }) do
          sealed[name] = _G[name]
        end
        local ways = {
          assign = function(t) t.LEAKED = 1 end,
          assign_index = function(t) t[1] = "LEAKED" end,
          rawset = function(t) rawset(t, "LEAKED", 1) end,
          pairs_state = function(t) local _, h = pairs(t); h.LEAKED = 1 end,
          pairs_state_raw = function(t) local _, h = pairs(t); rawset(h, "LEAKED", 1) end,
          ipairs_state = function(t) local _, h = ipairs(t); rawset(h, "LEAKED", 1) end,
          insert = function(t) table.insert(t, "LEAKED") end,
          insert_at = function(t) table.insert(t, 1, "LEAKED") end,
          remove = function(t) table.remove(t) end,
          move_into = function(t) table.move({ "LEAKED" }, 1, 1, 1, t) end,
          sort = function(t) table.sort(t, function(a, b) return tostring(a) > tostring(b) end) end,
          setmetatable = function(t) setmetatable(t, nil) end,
          metatable_index = function(t) local mt = getmetatable(t); mt.__index.LEAKED = 1 end,
          load_env = function(t) load("LEAKED = 1", "x", "t", t)() end,
          env = function(t) local _ENV = t; LEAKED = 1 end,
        }
        local function snapshot(t)
          local parts = {}
          for k, v in pairs(t) do parts[#parts + 1] = tostring(k) .. "=" .. tostring(v) end
          table.sort(parts)
          return table.concat(parts, ";")
        end
        local worked = {}
        local names = {}
        for name in next, sealed do names[#names + 1] = name end
        table.sort(names)
        for _, name in ipairs(names) do
          local t = sealed[name]
          for way, attack in next, ways do
            local before = snapshot(t)
            pcall(attack, t)
            if snapshot(t) ~= before or t.LEAKED ~= nil then worked[#worked + 1] = name .. ":" .. way end
          end
        end
        table.sort(worked)
        return #worked == 0 and "none" or table.concat(worked, " ")
        """#

    func testNoSealedTableCanBeWritten() throws {
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
                  local attacks = load(\(Self.luaString(Self.attacks)), "attacks", "t", setmetatable({ M = M }, { __index = _G }))
                  return { outcome = "rejected", reason = "unknown", message = attacks() }
                """,
            parse: "return {}")
        let instance = try TestScripts.instance(
            code,
            libraries: [
                "lib.shared": LuaSource(name: "lib/shared.lua", code: "return { list = { 1, 2 }, greet = function() return 'hi' end }")
            ])
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in OutboundResponse(status: 200) }
        XCTAssertEqual(result.outcome?.message, "none")
        var probe = TestScripts.lead.objectValue!
        probe["id"] = .string("probe")
        let next = instance.run(CallInput(action: .push, lead: .object(probe), now: 0)) { _ in OutboundResponse(status: 200) }
        XCTAssertEqual(next.outcome?.message, "leaked: ", "a write survived into the next lead")
    }

    func testPairsStillIteratesASealedTable() throws {
        let code = TestScripts.script(
            prepare: """
                  local keys = {}
                  for k, v in pairs(string) do if k == "upper" or k == "lower" then keys[#keys + 1] = k end end
                  for k, v in pairs(M.params) do keys[#keys + 1] = k end
                  table.sort(keys)
                  return { outcome = "rejected", reason = "unknown", message = table.concat(keys, ",") }
                """,
            parse: "return {}")
        let result = try TestScripts.instance(code).run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in
            OutboundResponse(status: 200)
        }
        XCTAssertEqual(result.outcome?.message, "base_url,lower,upper")
    }

    /// `s` as a Lua long string literal.
    static func luaString(_ s: String) -> String { "[==[" + s + "]==]" }
}
