import ArgumentParser
import Foundation
import IntegrationRuntime

/// `leadrelay new <name>`: scaffolds a script, its fixture folder and a first fixture.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Scaffold integrations/<name>.lua and a first fixture that passes `leadrelay check`."
    )

    @Argument(help: "The integration's name: [a-z0-9_]+.")
    var name: String

    @Option(help: "Directory of the integration scripts.")
    var integrations = "integrations"

    @Option(help: "Directory of the fixtures.")
    var fixtures = "Tests/ScriptFixtures"

    func run() throws {
        guard IntegrationCatalog.isValidName(name) else {
            throw ValidationError("the name must be [a-z0-9_]+ (it is also the file name)")
        }
        let script = integrations + "/" + name + ".lua"
        let fixtureDir = fixtures + "/" + name
        let fm = FileManager.default
        guard !fm.fileExists(atPath: script) else { throw ValidationError("\(script) exists already") }
        try fm.createDirectory(atPath: integrations, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: fixtureDir, withIntermediateDirectories: true)
        try Scaffold.script(name).write(toFile: script, atomically: true, encoding: .utf8)
        try Scaffold.fixture(name).write(toFile: fixtureDir + "/push-accepted.json", atomically: true, encoding: .utf8)
        print("created \(script)\ncreated \(fixtureDir)/push-accepted.json\nnext: leadrelay check --only \(name)")
    }
}
