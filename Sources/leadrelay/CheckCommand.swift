import ArgumentParser
import IntegrationRuntime

/// `leadrelay check`: validates every script and replays every fixture.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Lint every script and replay every fixture.",
        discussion: """
            Exit status: 0 every fixture passes, 1 a fixture failed, 2 a script or fixture could not be loaded.
            With --watch it runs until Ctrl-C (exit 0) and re-runs, on every save, the cases the change affects: \
            a script's change its fixtures, a fixture's change that fixture, a change under lib/ every case.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit
    }

    @Option(help: "Directory of the integration scripts.")
    var integrations = "integrations"

    @Option(help: "Directory of the fixtures, one folder per integration.")
    var fixtures = "Tests/ScriptFixtures"

    @Option(help: "Output format: text, json or junit.")
    var format: Format = .text

    @Option(help: "Lint only this integration.")
    var only: String?

    @Flag(name: .shortAndLong, help: "List passing fixtures too (text format).")
    var verbose = false

    @Flag(help: "Keep running: re-run the affected cases on every save (Ctrl-C stops, exit 0).")
    var watch = false

    func validate() throws {
        if watch && format != .text { throw ValidationError("--watch prints text; drop --format \(format.rawValue)") }
    }

    func run() async throws {
        if watch { await watchFiles() }
        let report = await FixtureRunner.check(integrations: integrations, fixtures: fixtures, only: only)
        switch format {
        case .text: print(report.text(verbose: verbose))
        case .json: print(report.json())
        case .junit: print(report.junit())
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
