import ArgumentParser
import LeadRelayService

/// `leadrelay route enable ID`.
struct RouteEnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a route.")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The route's id (route list shows it).")
    var id: Int64

    func run() async throws { try await RouteSwitch.set(id, enabled: true, options: options) }
}

/// Enabling and disabling, one code path.
enum RouteSwitch {
    static func set(_ id: Int64, enabled: Bool, options: StoreOptions) async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let route = try await admin.setRoute(id, enabled: enabled)
            options.emit(route.displayed, text: "\(enabled ? "enabled" : "disabled") " + OfferText.line(route))
        }
    }
}
