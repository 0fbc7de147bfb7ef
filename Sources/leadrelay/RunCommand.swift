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
        discussion: """
            Exit status without --expect: 0 the call ran (whatever its outcome), 2 a file or the script could not be \
            loaded, 64 a usage error. With --expect: 0 the outcome matched, 1 it did not (both are named on stderr), \
            2 a usage error or a file or script that could not be loaded.

            A status check (processing, approved) is split as the service splits it: at most the script's \
            limits.batch leads per call (100 when it declares none), the calls one after another, their updates \
            merged; a call that returns an outcome instead of updates ends the check.
            """
    )

    @Argument(help: "The integration (the script's name).")
    var integration: String

    @Option(
        help: "JSON file with the lead (for status: {\"leads\": [...]} or {\"from\": ..., \"to\": ...}; for postback: the inbound request)."
    )
    var lead: String

    @Option(help: "JSON file with the offer's parameters.")
    var params: String

    @Option(
        name: .customLong("param"),
        help: ArgumentHelp(
            "A parameter as NAME=VALUE (a string), in place of the params file's NAME; repeatable (base_url=http://127.0.0.1:PORT for leadrelay mock).",
            valueName: "name=value"))
    var paramOverrides: [String] = []

    @Option(help: "push, register, update, approved, status or postback.")
    var action = "push"

    @Option(help: "For status, which status check: processing, approved or range.")
    var check: String?

    @Flag(help: "Only prepare: print the request that would be sent, send nothing.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "The outcome the call must end with: accepted, rejected, retry, error, rejected:REASON, retry:REASON, or updates (a status check that returned updates). Exit 0 when it did, 1 when not.",
            valueName: "outcome"))
    var expect: String?

    @Option(help: "Output: json (the default) or curl (each request as a curl command line for sh, secrets masked).")
    var format = "json"

    @Flag(help: "With --format curl: print the secret parameters' values instead of ***.")
    var showSecrets = false

    @Option(help: "Directory of the integration scripts.")
    var integrations = "integrations"

    @Option(
        help: ArgumentHelp(
            "The file the script's credentials module keeps its values in (created 0600 on the first write, replaced atomically; default: $XDG_CONFIG_HOME/leadrelay/credentials.json, else ~/.config/leadrelay/credentials.json).",
            valueName: "file"))
    var credentials: String?

    @Option(
        help: ArgumentHelp(
            "Write the call as a fixture to this file: its requests and responses (secret parameters as ***name***, signatures, nonces and timestamps as {{any}}) and expect filled from the outcome. `leadrelay check` replays it.",
            valueName: "file"))
    var record: String?

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
        guard ["json", "curl"].contains(format) else {
            throw ValidationError("--format must be json or curl, not \(format.debugDescription)")
        }
        guard !showSecrets || format == "curl" else {
            throw ValidationError("--show-secrets applies to --format curl only")
        }
        _ = try overrides()
        if record != nil && dryRun {
            throw ValidationError("--record needs a call that runs: it cannot be combined with --dry-run")
        }
        if let expect {
            guard !dryRun else { throw ValidationError("--expect needs a call that runs: it cannot be combined with --dry-run") }
            do { _ = try RunExpectation(parsing: expect) } catch { throw ValidationError(error.description) }
        }
    }

    /// `--param NAME=VALUE`, by name (the last of a repeated name wins).
    func overrides() throws -> [String: String] {
        var out: [String: String] = [:]
        for text in paramOverrides {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--param \(text.debugDescription): expected NAME=VALUE, such as base_url=http://127.0.0.1:8091")
            }
            out[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return out
    }

    /// The transport's settings the options ask for.
    var transportConfiguration: LiveTransport.Configuration {
        .init(
            engine: httpEngine == "curl" ? .curl : .native,
            egressPolicy: egress == "public" ? .publicOnly : .allowingLocalNetworks)
    }

    func run() async throws {
        let output: RunInvocation.Output
        do {
            output = try await RunInvocation(
                integration: integration, leadFile: lead, paramsFile: params, paramOverrides: try overrides(), action: action,
                check: check,
                dryRun: dryRun, integrations: integrations, credentialsFile: credentials ?? FileCredentialStore.defaultPath(),
                transport: LiveTransport(configuration: transportConfiguration)
            ).perform()
        } catch {
            FileHandle.standardError.write(Data("leadrelay run: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let record { try write(output, to: record) }
        if format == "curl" {
            print(curl(output), terminator: "")
        } else {
            print(output.json.prettyEncoded())
        }
        guard let expect, let expectation = try? RunExpectation(parsing: expect) else { return }
        let got = RunExpectation.describe(output.result)
        guard expectation.matches(output.result) else {
            FileHandle.standardError.write(Data("leadrelay run: expected \(expectation.description), got \(got)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Each request as a curl line (masked unless `--show-secrets`), the warnings as sh
    /// comments, and after a call that ran, its outcome as a comment.
    func curl(_ output: RunInvocation.Output) -> String {
        var lines = (output.json["warnings"]?.arrayValue ?? []).compactMap { $0.stringValue.map { "# warning: " + $0 } }
        lines += output.requests.map { CurlCommand.line(showSecrets ? $0 : output.masker.mask($0)) }
        if !dryRun {
            var outcome = "# outcome: " + RunExpectation.describe(output.result)
            if let message = output.result.outcome?.message { outcome += ": " + output.masker.mask(message) }
            lines.append(outcome.replacingOccurrences(of: "\n", with: " "))
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
