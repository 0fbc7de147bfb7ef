import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay route list --offer 7`: the offer's routes by priority, secrets as `***`.
struct RouteListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List an offer's routes (secrets as ***).")

    @OptionGroup var options: StoreOptions

    @Option(help: "The offer's id.")
    var offer: String

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let routes = try await admin.routes(offerID: offer)
            options.emit(
                .object(["offer_id": .string(offer), "routes": .array(routes.map(\.displayed))]),
                text: routes.isEmpty ? "offer \(offer) has no routes" : routes.map(OfferText.line).joined(separator: "\n"))
        }
    }
}
