import ArgumentParser

/// `leadrelay route add|set|list|enable|disable|remove`: the routes an offer delivers through.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Add, change, list, enable, disable and remove an offer's routes (exit 0 done, 1 refused, 2 usage).",
        subcommands: [
            RouteAddCommand.self, RouteSetCommand.self, RouteListCommand.self, RouteEnableCommand.self, RouteDisableCommand.self,
            RouteRemoveCommand.self,
        ]
    )
}
