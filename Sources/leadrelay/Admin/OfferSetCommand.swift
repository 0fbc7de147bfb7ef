import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay offer set ID [--name N] [--fall-through R,R] [--duplicate-window 24h|--no-duplicate-window]
/// [--payout 30] [--currency EUR] [--payout-on approved] [--no-payout] [--registration-wait N]`:
/// changes an offer's settings; only what is given changes.
struct OfferSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change an offer's settings (only what is given changes).",
        discussion: """
            A new --payout keeps the offer's currency and basis unless given too. Reports price every lead with \
            the offer's payout as it is when they run, earlier leads included; affiliate postbacks already \
            queued keep the values they were queued with.
            """)

    @OptionGroup var options: StoreOptions

    @Argument(help: "The offer's id.")
    var id: String

    @Option(help: "The offer's name.")
    var name: String?

    @Option(help: "Rejection reasons that fall through to the next route, comma-separated (\"\" for none).")
    var fallThrough: String?

    @Option(help: "A lead with the same e-mail or phone within this time is a duplicate (90d, 24h, 30m).")
    var duplicateWindow: String?

    @Flag(help: "No duplicate check any more.")
    var noDuplicateWindow = false

    @Option(help: "What the affiliate earns per lead, an exact amount such as 25 or 12.50.")
    var payout: String?

    @Option(help: "The payout's currency, a three-letter ISO 4217 code such as EUR.")
    var currency: String?

    @Option(help: "When a lead earns the payout: accepted or approved.")
    var payoutOn: String?

    @Flag(help: "No payout any more (reports show none for the offer).")
    var noPayout = false

    @Option(help: "Seconds a post without ?wait= waits for its registration, 0 (asynchronous) to 60.")
    var registrationWait: Double?

    func validate() throws {
        if noDuplicateWindow, duplicateWindow != nil {
            throw ValidationError("--duplicate-window and --no-duplicate-window: give one of them")
        }
        if noPayout, payout != nil || currency != nil || payoutOn != nil {
            throw ValidationError("--no-payout cannot go with --payout, --currency or --payout-on")
        }
    }

    func run() async throws {
        var change = OfferChange()
        change.fieldNames = ("--payout", "--currency", "--payout-on", "--duplicate-window")
        change.name = name
        change.fallThrough = try fallThrough.map { text in try AdminExit.usage { () throws(AdminError) in try AdminInput.reasons([text]) } }
        if noDuplicateWindow {
            change.duplicateWindow = .some(nil)
        } else if let duplicateWindow {
            change.duplicateWindow = try AdminExit.usage { () throws(AdminError) in
                try AdminInput.duration(duplicateWindow, field: "--duplicate-window")
            }
        }
        change.payout = payout
        change.currency = currency
        change.payoutOn = payoutOn
        change.removePayout = noPayout
        change.registrationWait = registrationWait
        let admin = try options.administration()
        let edit = change
        try await options.perform { () async throws(AdminError) in
            let offer = try await admin.changeOffer(id, edit)
            options.emit(offer.displayed, text: "changed " + OfferText.line(offer))
        }
    }
}
