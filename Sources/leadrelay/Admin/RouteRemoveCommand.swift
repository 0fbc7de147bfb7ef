import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay route remove ID`.
struct RouteRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a route.")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The route's id (route list shows it).")
    var id: Int64

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            try await admin.removeRoute(id)
            options.emit(.object(["removed": .integer(id)]), text: "removed route \(id)")
        }
    }
}
