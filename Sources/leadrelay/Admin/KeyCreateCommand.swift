import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay key create --affiliate A1 --permissions leads:create,leads:read --expires-in 90d --allow 203.0.113.0-203.0.113.255`:
/// prints the token once.
struct KeyCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Issue an API key to an affiliate; its token is printed once.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The affiliate's id.")
    var affiliate: String

    @Option(help: "Comma-separated: leads:create, leads:read, reports:read.")
    var permissions: String

    @Option(help: "How long the key works: 90d, 12h, 30m.")
    var expiresIn = "90d"

    @Option(
        name: .customLong("allow"),
        help: ArgumentHelp(
            "An address or from-to range the key may be used from, IPv4 or IPv6 (repeat it; 0.0.0.0-255.255.255.255 is every address).",
            valueName: "range"))
    var allow: [String] = []

    @Option(help: "Requests the key may make per period: 100/1m, 10/3s, 1000/1h (default: unlimited); over it the intake answers 429.")
    var rate: String?

    func run() async throws {
        let limit = try rate.map { text in try AdminExit.usage { () throws(AdminError) in try AdminInput.rate(text, field: "--rate") } }
        let granted = try AdminExit.usage { () throws(AdminError) in try AdminInput.permissions([permissions], field: "--permissions") }
        let seconds = try AdminExit.usage { () throws(AdminError) in try AdminInput.duration(expiresIn, field: "--expires-in") }
        let ranges = try AdminExit.usage { () throws(AdminError) in try AdminInput.allowlist(allow, field: "--allow") }
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let (key, token) = try await admin.issueKey(
                affiliateID: affiliate, permissions: granted, allowlist: ranges, validFor: seconds, rate: limit)
            var json = key.displayed(now: admin.now).objectValue ?? [:]
            json["token"] = .string(token.text)
            json["notice"] = .string(KeyCommand.shownOnce)
            options.emit(
                .object(json), text: "issued " + KeyCommand.line(key, now: admin.now) + "\ntoken: \(token.text)\n" + KeyCommand.shownOnce)
        }
    }
}
