import ArgumentParser
import IntegrationRuntime
import LeadRelayService

/// `leadrelay employee create|list|key`: LeadRelay's staff and their roles (admin, manager,
/// analyst). `employee create --role admin` is how ops bootstrap the admin API.
struct EmployeeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "employee",
        abstract: "Create and list employees with roles, issue their keys; a token is printed once (exit 0 done, 1 refused, 2 usage).",
        subcommands: [EmployeeCreateCommand.self, EmployeeListCommand.self, EmployeeKeyCommand.self]
    )
}
