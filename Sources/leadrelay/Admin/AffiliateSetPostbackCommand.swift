import ArgumentParser
import LeadRelayService

/// `leadrelay affiliate set-postback ID --postback-url URL` (or `--remove`): the template
/// called on each change of the affiliate's leads, checked first (docs/service.md,
/// "Affiliate postbacks").
struct AffiliateSetPostbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-postback", abstract: "Set or remove an affiliate's postback URL template.",
        discussion: """
            Macros: {lead_id} {sub_id} {click_id} {status} {stage} {payout} {currency}, each percent-encoded. \
            http or https only, a port in egress.postbacks.ports, no user:password@.
            """)

    @OptionGroup var options: StoreOptions
    @OptionGroup var postback: PostbackOptions

    @Argument(help: "The affiliate's id.")
    var id: String

    @Option(help: "The template: 'https://tracker.example/pb?click={click_id}&status={status}'.")
    var postbackURL: String?

    @Flag(help: "Remove the template: no more postbacks are queued (those queued are still sent).")
    var remove = false

    func validate() throws {
        if (postbackURL == nil) == !remove { throw ValidationError("give either --postback-url URL or --remove") }
    }

    func run() async throws {
        let admin = try await postback.administration(options)
        try await options.perform { () async throws(AdminError) in
            let affiliate = try await admin.setPostbackURL(affiliateID: id, template: postbackURL)
            options.emit(
                affiliate.displayed, text: (remove ? "postback URL removed: " : "postback URL set: ") + AffiliateCommand.line(affiliate))
        }
    }
}
