import ArgumentParser
import LeadRelayService

/// `leadrelay affiliate create|list|grant`: who posts leads, and to which offers.
struct AffiliateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "affiliate",
        abstract: "Create and list affiliates, grant them offers (exit 0 done, 1 refused, 2 usage).",
        subcommands: [AffiliateCreateCommand.self, AffiliateListCommand.self, AffiliateGrantCommand.self]
    )

    static func line(_ affiliate: Affiliate) -> String {
        "affiliate \(affiliate.id) \"\(affiliate.name)\"  offers: "
            + (affiliate.offers.isEmpty ? "none" : affiliate.offers.sorted().joined(separator: ","))
    }
}
