import ArgumentParser

/// `leadrelay`: lint and run LeadRelay integrations, and serve them.
@main
struct LeadRelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadrelay",
        abstract: "Deliver leads to networks and CRMs through one Lua script per network.",
        subcommands: [CheckCommand.self, RunCommand.self, NewCommand.self, SandboxCommand.self, ServeCommand.self]
    )
}
