import ArgumentParser
import Foundation

/// `leadrelay`: lint and run LeadRelay integrations, serve them, and administer the
/// service's store (offers, routes, affiliates, keys, employees).
@main
struct LeadRelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadrelay",
        abstract: "Deliver leads to networks and CRMs through one Lua script per network.",
        subcommands: [
            CheckCommand.self, RunCommand.self, MockCommand.self, FixtureCommand.self, NewCommand.self, CatalogCommand.self,
            SandboxCommand.self,
            ServeCommand.self,
            OfferCommand.self,
            RouteCommand.self, AffiliateCommand.self, KeyCommand.self, EmployeeCommand.self, RedeliverCommand.self,
        ]
    )

    /// The administration commands, whose usage errors exit 2 (0 done, 1 refused, 2 usage);
    /// the others keep ArgumentParser's 64.
    static let administration: Set<String> = ["offer", "route", "affiliate", "key", "employee", "redeliver"]

    /// Whether a usage error of `arguments` exits 2: an administration command, or `run`
    /// with `--expect` (whose 1 means "the outcome did not match", so a usage error must
    /// not look like one).
    static func usageExitsTwo(_ arguments: [String]) -> Bool {
        guard let first = arguments.first else { return false }
        if administration.contains(first) { return true }
        return first == "run" && arguments.contains { $0 == "--expect" || $0.hasPrefix("--expect=") }
    }

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard exitCode(for: error) == .validationFailure, usageExitsTwo(arguments) else {
                exit(withError: error)
            }
            // A usage error found while running names the subcommand's help (ArgumentParser
            // would show the root's usage).
            var message = fullMessage(for: error)
            if error is ValidationError {
                let words = arguments.prefix { !$0.hasPrefix("-") }.prefix(arguments.first == "run" ? 1 : 2)
                let path = words.joined(separator: " ")
                message = "Error: \(error)\nSee 'leadrelay \(path) --help'."
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
