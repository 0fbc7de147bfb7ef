import ArgumentParser
import IntegrationRuntime
import LeadJSON
import LeadRelayService

/// `leadrelay employee create --name NAME --role admin --allow RANGE [--expires-in 90d]`:
/// the employee and a first key for the admin API, its token printed once.
struct EmployeeCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an employee with a first admin API key; its token is printed once.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The employee's name.")
    var name: String

    @Option(help: "admin (everything), manager (offers, routes, affiliates) or analyst (reports only).")
    var role: String

    @Option(help: "The employee's id (letters, digits, _ or -); default: emp_ and 8 random hex digits.")
    var id: String?

    @Option(help: "How long the key works: 90d, 12h, 30m.")
    var expiresIn = "90d"

    @Option(
        name: .customLong("allow"),
        help: ArgumentHelp(
            "An address or from-to range the key may be used from (repeat it; 0.0.0.0-255.255.255.255 is every address).",
            valueName: "range"))
    var allow: [String] = []

    func run() async throws {
        let chosen = try AdminExit.usage { () throws(AdminError) in try AdminInput.role(role, field: "--role") }
        let seconds = try AdminExit.usage { () throws(AdminError) in try AdminInput.duration(expiresIn, field: "--expires-in") }
        let ranges = try AdminExit.usage { () throws(AdminError) in try AdminInput.allowlist(allow, field: "--allow") }
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let (employee, key, token) = try await admin.createEmployee(
                id: id, name: name, role: chosen, allowlist: ranges, validFor: seconds)
            var json = employee.displayed.objectValue ?? [:]
            json["key"] = key.displayed(now: admin.now)
            json["token"] = .string(token.text)
            json["notice"] = .string(KeyCommand.shownOnce)
            options.emit(
                .object(json),
                text: "created employee \(employee.id) \"\(employee.name)\" (\(employee.role.rawValue))\nkey \(key.id) expires "
                    + ISO8601.format(Int64(key.expiresAt)) + "\ntoken: \(token.text)\n" + KeyCommand.shownOnce)
        }
    }
}
