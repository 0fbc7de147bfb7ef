import ArgumentParser
import IntegrationRuntime
import LeadRelayService

/// `leadrelay employee create|list`: LeadRelay's staff and their roles (admin, manager,
/// analyst). `employee create --role admin` is how ops bootstrap the admin API.
struct EmployeeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "employee",
        abstract: "Create and list employees with roles; create prints the first key's token once (exit 0 done, 1 refused, 2 usage).",
        subcommands: [EmployeeCreateCommand.self, EmployeeListCommand.self]
    )
}
