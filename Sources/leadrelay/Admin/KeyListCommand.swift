import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay key list [--affiliate A1]`: keys with their state, never a token.
struct KeyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List API keys (never their tokens).")

    @OptionGroup var options: StoreOptions

    @Option(help: "Only this affiliate's keys.")
    var affiliate: String?

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let keys = try await admin.keys(affiliateID: affiliate)
            let now = admin.now
            options.emit(
                .object(["keys": .array(keys.map { $0.displayed(now: now) })]),
                text: keys.isEmpty ? "no keys" : keys.map { KeyCommand.line($0, now: now) }.joined(separator: "\n"))
        }
    }
}
