import ArgumentParser
import LeadRelayService

/// `leadrelay affiliate create|list|grant|set-postback`: who posts leads, to which offers,
/// and the postback URL their leads' changes are reported to.
struct AffiliateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "affiliate",
        abstract: "Create and list affiliates, grant them offers, set their postback URLs (exit 0 done, 1 refused, 2 usage).",
        subcommands: [
            AffiliateCreateCommand.self, AffiliateListCommand.self, AffiliateGrantCommand.self, AffiliateSetPostbackCommand.self,
        ]
    )

    static func line(_ affiliate: Affiliate) -> String {
        "affiliate \(affiliate.id) \"\(affiliate.name)\"  offers: "
            + (affiliate.offers.isEmpty ? "none" : affiliate.offers.sorted().joined(separator: ","))
            + (affiliate.postbackURL.map { "  postback: \($0)" } ?? "")
    }
}
