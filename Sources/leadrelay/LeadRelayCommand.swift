import ArgumentParser

/// `leadrelay`: lint, run and (later) serve LeadRelay integrations.
@main
struct LeadRelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadrelay",
        abstract: "Deliver leads to networks and CRMs through one Lua script per network.",
        subcommands: [CheckCommand.self, RunCommand.self, NewCommand.self, SandboxCommand.self]
    )
}
