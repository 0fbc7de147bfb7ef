import ArgumentParser
import IntegrationRuntime
import LeadJSON
import LeadRelayService

/// `leadrelay employee key --employee ID --allow RANGE [--expires-in 90d]`: another admin
/// API key for an employee (a new one before the old expires), its token printed once.
struct EmployeeKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Issue another admin API key to an employee; its token is printed once.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The employee's id.")
    var employee: String

    @Option(help: "How long the key works: 90d, 12h, 30m.")
    var expiresIn = "90d"

    @Option(
        name: .customLong("allow"),
        help: ArgumentHelp(
            "An address or from-to range the key may be used from (repeat it; 0.0.0.0-255.255.255.255 is every address).",
            valueName: "range"))
    var allow: [String] = []

    func run() async throws {
        let seconds = try AdminExit.usage { () throws(AdminError) in try AdminInput.duration(expiresIn, field: "--expires-in") }
        let ranges = try AdminExit.usage { () throws(AdminError) in try AdminInput.allowlist(allow, field: "--allow") }
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let (key, token) = try await admin.issueEmployeeKey(employeeID: employee, allowlist: ranges, validFor: seconds)
            var json = key.displayed(now: admin.now).objectValue ?? [:]
            json["token"] = .string(token.text)
            json["notice"] = .string(KeyCommand.shownOnce)
            options.emit(
                .object(json),
                text:
                    "issued key \(key.id) to employee \(employee), expires \(ISO8601.format(Int64(key.expiresAt)))\ntoken: \(token.text)\n"
                    + KeyCommand.shownOnce)
        }
    }
}
