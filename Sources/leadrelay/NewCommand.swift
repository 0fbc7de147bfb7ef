import ArgumentParser
import Foundation
import IntegrationRuntime

/// `leadrelay new <name>`: scaffolds a script as the tutorial writes one and fixtures for a
/// success, a rejection, a retry and a status check that pass `check` as generated.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Scaffold integrations/<name>.lua and fixtures (accepted, duplicate, timeout, status) that pass `leadrelay check`.",
        discussion: """
            The script uses lib.outcome and lib.lead (docs/writing-integrations.md, section 3): the integrations \
            directory must hold lib/outcome.lua and lib/lead.lua, as the repository's integrations/ does.
            """
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
        for library in Scaffold.libraries where !fm.fileExists(atPath: integrations + "/" + library) {
            throw ValidationError(
                "\(integrations)/\(library) is missing: the scaffold requires lib.outcome and lib.lead; "
                    + "copy integrations/lib of the LeadRelay repository to \(integrations)/lib (or pass --integrations DIR)")
        }
        try fm.createDirectory(atPath: fixtureDir, withIntermediateDirectories: true)
        try Scaffold.script(name).write(toFile: script, atomically: true, encoding: .utf8)
        var created = ["created \(script)"]
        for (file, text) in ScaffoldFixtures.all {
            try text.write(toFile: fixtureDir + "/" + file, atomically: true, encoding: .utf8)
            created.append("created \(fixtureDir)/\(file)")
        }
        var next = "leadrelay check"
        if integrations != "integrations" { next += " --integrations \(integrations)" }
        if fixtures != "Tests/ScriptFixtures" { next += " --fixtures \(fixtures)" }
        print((created + ["next: \(next) --only \(name)"]).joined(separator: "\n"))
    }
}
