import ArgumentParser
import LeadRelayService

/// `leadrelay affiliate grant ID --offer 7 [--offer 8]`: the affiliate may send leads to them.
struct AffiliateGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grant offers to an affiliate.")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The affiliate's id.")
    var id: String

    @Option(name: .customLong("offer"), help: "An offer to grant (repeat it).")
    var offers: [String] = []

    func validate() throws {
        if offers.isEmpty { throw ValidationError("name an offer to grant: --offer ID") }
    }

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let affiliate = try await admin.grant(affiliateID: id, offers: offers)
            options.emit(affiliate.displayed, text: "granted: " + AffiliateCommand.line(affiliate))
        }
    }
}
