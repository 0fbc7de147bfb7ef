import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay employee list`: employees, their roles and keys (never a token).
struct EmployeeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List employees and their keys.")

    @OptionGroup var options: StoreOptions

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            let employees = try await admin.employees()
            let keys = try await admin.employeeKeys(employeeID: nil)
            let now = admin.now
            let json = employees.map { employee -> JSONValue in
                var object = employee.displayed.objectValue ?? [:]
                object["keys"] = .array(keys.filter { $0.employeeID == employee.id }.map { $0.displayed(now: now) })
                return .object(object)
            }
            let lines = employees.map { employee in
                "employee \(employee.id) \"\(employee.name)\" (\(employee.role.rawValue))  keys: "
                    + keys.filter { $0.employeeID == employee.id }.map {
                        "\($0.id) \(KeyState(expiresAt: $0.expiresAt, revokedAt: $0.revokedAt, now: now).rawValue)"
                    }.joined(separator: ", ")
            }
            options.emit(.object(["employees": .array(json)]), text: lines.isEmpty ? "no employees" : lines.joined(separator: "\n"))
        }
    }
}
