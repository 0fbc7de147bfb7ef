import ArgumentParser
import LeadRelayService

/// `leadrelay affiliate create --name NAME [--id ID] [--postback-url URL]`.
struct AffiliateCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an affiliate.")

    @OptionGroup var options: StoreOptions
    @OptionGroup var postback: PostbackOptions

    @Option(help: "The affiliate's name.")
    var name: String

    @Option(help: "The affiliate's id (letters, digits, _ or -); default: aff_ and 8 random hex digits.")
    var id: String?

    @Option(help: "Its postback URL template ('https://tracker.example/pb?click={click_id}&status={status}'; see set-postback).")
    var postbackURL: String?

    func run() async throws {
        let admin = try await postback.administration(options)
        try await options.perform { () async throws(AdminError) in
            let affiliate = try await admin.createAffiliate(id: id, name: name, postbackURL: postbackURL)
            options.emit(affiliate.displayed, text: "created " + AffiliateCommand.line(affiliate))
        }
    }
}
