import Foundation
import Host
import XCTest

/// The editor definitions (types/leadrelay/*.lua, LuaLS `---@meta` files) and the luacheck
/// configuration (.luacheckrc) name exactly what a fresh sandbox gives a script: a host
/// function added, renamed or removed without them fails here, naming the difference.
final class HostDefinitionsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `name` for every global of a fresh sandbox, and `name.field` for every field of a
    /// global table (the host modules and the standard libraries), sorted.
    func sandboxNames() throws -> Set<String> {
        let vm = try LuaVM()
        let listing = try vm.value(
            """
            local names = {}
            for name, value in pairs(_G) do
              if type(value) == "table" and name ~= "_G" then
                for field in pairs(value) do names[#names + 1] = name .. "." .. field end
              else
                names[#names + 1] = name
              end
            end
            table.sort(names)
            return table.concat(names, "\\n")
            """)
        return Set((listing ?? "").split(separator: "\n").map(String.init))
    }

    /// `module.function` (and `module.field = ...`) for each definition of the meta files.
    func definedNames() throws -> Set<String> {
        let folder = Self.root.appendingPathComponent("types/leadrelay")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".lua") }
        XCTAssertFalse(files.isEmpty, "no definition files in \(folder.path)")
        let pattern = try NSRegularExpression(
            pattern: #"^(?:function ([a-z_]+)\.([a-z_0-9]+)\(|([a-z_]+)\.([a-z_0-9]+) = )"#, options: .anchorsMatchLines)
        var names: Set<String> = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("---@meta"), "types/leadrelay/\(file) does not start with ---@meta")
            let range = NSRange(text.startIndex..., in: text)
            for match in pattern.matches(in: text, range: range) {
                let groups = match.range(at: 1).location != NSNotFound ? (1, 2) : (3, 4)
                let module = (text as NSString).substring(with: match.range(at: groups.0))
                let name = (text as NSString).substring(with: match.range(at: groups.1))
                names.insert(module + "." + name)
            }
        }
        return names
    }

    func testEveryHostFunctionHasAnEditorDefinition() throws {
        // The host modules, and the two standard libraries the sandbox cuts down (LuaLS's own
        // are turned off in .luarc.json, so their definitions are ours).
        let modules = Set(StandardModules.all.map(\.name)).union(["os", "debug"])
        let host = try sandboxNames().filter { name in modules.contains { name.hasPrefix($0 + ".") } }
        XCTAssertTrue(host.contains("crypto.hmac"), "the sandbox listing misses crypto.hmac: \(host.sorted())")
        let defined = try definedNames()
        XCTAssertEqual(
            host.subtracting(defined).sorted(), [], "host functions without a definition in types/leadrelay/")
        XCTAssertEqual(
            defined.subtracting(host).sorted(), [], "definitions in types/leadrelay/ of functions the host does not register")
    }

    func testLuacheckKnowsExactlyTheSandboxGlobals() throws {
        let config = try String(contentsOf: Self.root.appendingPathComponent(".luacheckrc"), encoding: .utf8)
        let vm = try LuaVM()
        let escaped = config.replacingOccurrences(of: "]==]", with: "")
        let listing = try vm.value(
            """
            local env = { stds = {}, pairs = pairs, type = type }
            local chunk = assert(load([==[\(escaped)]==], "=.luacheckrc", "t", env))
            chunk()
            local std = env.stds[env.std]
            assert(std, ".luacheckrc: std " .. tostring(env.std) .. " is not defined in stds")
            local names = {}
            for key, value in pairs(std.read_globals) do
              if type(key) == "number" then
                names[#names + 1] = value
              else
                for field in pairs(value.fields) do names[#names + 1] = key .. "." .. field end
              end
            end
            assert(std.globals == nil, ".luacheckrc: the sandbox's globals are read-only (read_globals only)")
            table.sort(names)
            return table.concat(names, "\\n")
            """)
        let configured = Set((listing ?? "").split(separator: "\n").map(String.init))
        let sandbox = try sandboxNames()
        XCTAssertEqual(sandbox.subtracting(configured).sorted(), [], "sandbox globals .luacheckrc does not know")
        XCTAssertEqual(configured.subtracting(sandbox).sorted(), [], ".luacheckrc globals the sandbox does not give")
    }
}
