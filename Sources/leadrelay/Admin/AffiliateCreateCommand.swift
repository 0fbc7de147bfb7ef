import ArgumentParser
import LeadRelayService

/// `leadrelay affiliate create --name NAME [--id ID]`.
struct AffiliateCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an affiliate.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The affiliate's name.")
    var name: String

    @Option(help: "The affiliate's id (letters, digits, _ or -); default: aff_ and 8 random hex digits.")
    var id: String?

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let affiliate = try await admin.createAffiliate(id: id, name: name)
            options.emit(affiliate.displayed, text: "created " + AffiliateCommand.line(affiliate))
        }
    }
}
