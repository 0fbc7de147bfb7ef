import ArgumentParser
import Foundation
import Host
import IntegrationRuntime
import OutboundHTTP

/// `leadrelay run`: one lead through one integration, printed as JSON with secrets masked.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one call of an integration (a lead, a status check or a postback) and print its exchanges and result as JSON.",
        discussion: "Exit status: 0 the call ran (whatever its outcome), 2 a file or the script could not be loaded."
    )

    @Argument(help: "The integration (the script's name).")
    var integration: String

    @Option(
        help: "JSON file with the lead (for status: {\"leads\": [...]} or {\"from\": ..., \"to\": ...}; for postback: the inbound request)."
    )
    var lead: String

    @Option(help: "JSON file with the offer's parameters.")
    var params: String

    @Option(help: "push, register, update, approved, status or postback.")
    var action = "push"

    @Option(help: "For status, which status check: processing, approved or range.")
    var check: String?

    @Flag(help: "Only prepare: print the request that would be sent, send nothing.")
    var dryRun = false

    @Option(help: "Directory of the integration scripts.")
    var integrations = "integrations"

    @Option(help: "HTTP engine: native (LeadRelay's own HTTP/1.1 engine, the default) or curl (libcurl).")
    var httpEngine = "native"

    @Option(
        help:
            "Addresses requests may reach: local (also loopback and private networks, the default: partners under test are often local, such as leadrelay sandbox) or public (only public addresses, as the service allows)."
    )
    var egress = "local"

    func validate() throws {
        guard ["native", "curl"].contains(httpEngine) else {
            throw ValidationError("--http-engine must be native or curl, not \(httpEngine.debugDescription)")
        }
        guard ["local", "public"].contains(egress) else {
            throw ValidationError("--egress must be local or public, not \(egress.debugDescription)")
        }
    }

    /// The transport's settings the options ask for.
    var transportConfiguration: LiveTransport.Configuration {
        .init(
            engine: httpEngine == "curl" ? .curl : .native,
            egressPolicy: egress == "public" ? .publicOnly : .allowingLocalNetworks)
    }

    func run() async throws {
        do {
            let output = try await RunInvocation(
                integration: integration, leadFile: lead, paramsFile: params, action: action, check: check,
                dryRun: dryRun, integrations: integrations,
                transport: LiveTransport(configuration: transportConfiguration)
            ).execute()
            print(output.prettyEncoded())
        } catch {
            FileHandle.standardError.write(Data("leadrelay run: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
