import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay offer list`.
struct OfferListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the offers.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let offers = try await admin.offers()
            options.emit(
                .object(["offers": .array(offers.map(\.displayed))]),
                text: offers.isEmpty ? "no offers (leadrelay offer create --name NAME)" : offers.map(OfferText.line).joined(separator: "\n")
            )
        }
    }
}
