import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay offer create --name NAME [--id ID] [--fall-through REASONS] [--duplicate-window 24h]
/// [--payout 25 --currency EUR --payout-on accepted|approved] [--registration-wait N]`.
struct OfferCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an offer.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The offer's name.")
    var name: String

    @Option(help: "The offer's id (letters, digits, _ or -); default: the next free number.")
    var id: String?

    @Option(
        help:
            "Rejection reasons that fall through to the next route, comma-separated (default: cap_reached,filtered,blocked_country; \"\" for none)."
    )
    var fallThrough: String?

    @Option(help: "A lead with the same e-mail or phone within this time is a duplicate (90d, 24h, 30m); default: no check.")
    var duplicateWindow: String?

    @Option(help: "What the affiliate earns per lead, an exact amount such as 25 or 12.50 (with --currency); default: none.")
    var payout: String?

    @Option(help: "The payout's currency, a three-letter ISO 4217 code such as EUR.")
    var currency: String?

    @Option(help: "When a lead earns the payout: accepted (the buyer accepted it) or approved (its stage is approve); default: accepted.")
    var payoutOn: String?

    @Option(help: "Seconds a post without ?wait= waits for its registration, 0 to 60 (default: 0, asynchronous).")
    var registrationWait: Double = 0

    func run() async throws {
        let payout = try AdminExit.usage { () throws(AdminError) in
            try AdminInput.payout(
                amount: self.payout, currency: currency, basis: payoutOn, fields: ("--payout", "--currency", "--payout-on"))
        }
        let reasons = try fallThrough.map { text in try AdminExit.usage { () throws(AdminError) in try AdminInput.reasons([text]) } }
        let window = try duplicateWindow.map { text in
            try AdminExit.usage { () throws(AdminError) in try AdminInput.duration(text, field: "--duplicate-window") }
        }
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let offer = try await admin.createOffer(
                id: id, name: name, fallThrough: reasons, duplicateWindow: window, payout: payout, registrationWait: registrationWait)
            options.emit(offer.displayed, text: "created " + OfferText.line(offer))
        }
    }
}
