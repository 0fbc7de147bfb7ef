import ArgumentParser

/// `leadrelay route disable ID`: the route stays stored and takes no lead.
struct RouteDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable a route (it stays stored).")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The route's id (route list shows it).")
    var id: Int64

    func run() async throws { try await RouteSwitch.set(id, enabled: false, options: options) }
}
