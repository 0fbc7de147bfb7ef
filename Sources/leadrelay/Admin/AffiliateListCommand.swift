import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay affiliate list`.
struct AffiliateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the affiliates.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let affiliates = try await admin.affiliates()
            options.emit(
                .object(["affiliates": .array(affiliates.map(\.displayed))]),
                text: affiliates.isEmpty
                    ? "no affiliates (leadrelay affiliate create --name NAME)"
                    : affiliates.map(AffiliateCommand.line).joined(separator: "\n"))
        }
    }
}
