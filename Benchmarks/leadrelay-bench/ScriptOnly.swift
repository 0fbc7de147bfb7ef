import CLua
import Foundation
import Host
import IntegrationRuntime
import LeadJSON

/// Each script's `prepare` called in a Lua loop inside a sandboxed VM, with the lead and
/// `ctx` built once: the script's own cost, without the host's work per call (building
/// `ctx`, reading the request, encoding its JSON). The difference to the runtime table's
/// "to the request" column is the host's share.
enum ScriptOnly {
    static func table(integrations: String, fixtures: String, calls: Int) throws -> String {
        let catalog = try IntegrationCatalog.scan(integrations)
        var out =
            "Script-only cost of prepare (a Lua loop inside the VM, \(calls) calls each)\n\n| integration | µs per prepare |\n|---|---:|\n"
        for name in catalog.scripts.keys.sorted() {
            var libraries = catalog.libraries
            libraries["lib.bench_" + name] = catalog.scripts[name]!
            var limits = LuaLimits()
            limits.cpuSeconds = 600
            limits.instructions = 0
            let vm = try LuaVM(limits: limits, libraries: libraries)
            // The lead and params of the push-accepted case, as in the runtime table.
            let file = "\(fixtures)/\(name)/push-accepted.json"
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let fixture = try FixtureLoader.load(bytes: Array(data), file: file, integration: name)
            let lead = fixture.subject.lead?.encoded() ?? "{}"
            let params = JSONValue.object(fixture.params).encoded()
            let code = """
                local M = require("lib.bench_\(name)")
                local lead = json.decode([==[\(lead)]==])
                local params = json.decode([==[\(params)]==])
                local ctx = { action = "push", params = params, offer = { id = "1", name = "Bench" }, attempt = 1, now = 1767225600, state = {} }
                local started = os.clock()
                for _ = 1, \(calls) do M.prepare(lead, ctx) end
                return (os.clock() - started) / \(calls) * 1e6
                """
            let count = code.utf8.count
            _ = code.withCString { clua_load_text(vm.L, $0, count, "=bench") }
            if let error = vm.protectedCall(arguments: 0, results: 1, for: HostCall(now: 1_767_225_600)) {
                out += "| \(name) | failed: \(error.message) |\n"
                continue
            }
            out += "| \(name) | \(String(format: "%.2f", LuaState(vm.L).number(at: -1) ?? -1)) |\n"
        }
        return out
    }
}
