import Foundation
import Host
import IntegrationRuntime

/// A temporary directory laid out as `leadrelay check` reads it: `integrations/<name>.lua`
/// for each script and `fixtures/<name>/` for its cases.
struct CheckDirectory {
    let path = NSTemporaryDirectory() + "leadrelay-check-\(UUID().uuidString)"

    init(scripts: [String: String]) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: path + "/integrations", withIntermediateDirectories: true)
        for (name, code) in scripts {
            try fm.createDirectory(atPath: path + "/fixtures/" + name, withIntermediateDirectories: true)
            try code.write(toFile: "\(path)/integrations/\(name).lua", atomically: true, encoding: .utf8)
        }
    }

    /// Writes `fixtures/<integration>/<name>.json`.
    func write(_ integration: String, _ name: String, _ fixture: String) throws {
        try fixture.write(toFile: "\(path)/fixtures/\(integration)/\(name).json", atomically: true, encoding: .utf8)
    }

    func check(limits: LuaLimits = .default, modules: [HostModule] = StandardModules.all) async -> CheckReport {
        await FixtureRunner.check(integrations: path + "/integrations", fixtures: path + "/fixtures", limits: limits, modules: modules)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
