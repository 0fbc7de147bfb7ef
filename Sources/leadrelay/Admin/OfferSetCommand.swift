import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay offer set ID --registration-wait N`: changes an offer's settings.
struct OfferSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change an offer's settings.")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The offer's id.")
    var id: String

    @Option(help: "Seconds a post without ?wait= waits for its registration, 0 (asynchronous) to 60.")
    var registrationWait: Double

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let offer = try await admin.setOffer(id, registrationWait: registrationWait)
            options.emit(offer.displayed, text: "changed " + OfferText.line(offer))
        }
    }
}
