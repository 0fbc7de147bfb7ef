import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay offer show ID`: the offer and its routes, secrets as `***`.
struct OfferShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an offer and its routes (secrets as ***).")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The offer's id.")
    var id: String

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let offer = try await admin.offer(id)
            let routes = try await admin.routes(offerID: id)
            var json = offer.displayed.objectValue ?? [:]
            json["routes"] = .array(routes.map(\.displayed))
            let lines = [OfferText.line(offer)] + (routes.isEmpty ? ["  no routes"] : routes.map { "  " + OfferText.line($0) })
            options.emit(.object(json), text: lines.joined(separator: "\n"))
        }
    }
}
