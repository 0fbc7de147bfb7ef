import ArgumentParser
import Foundation
import IntegrationRuntime
import NetworkEmulators

/// `leadrelay mock`: serve the recorded exchanges of a script's fixtures on 127.0.0.1, so
/// the script can be run live (`leadrelay run`) without an emulator.
struct MockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Serve the recorded exchanges of an integration's fixtures as a loopback HTTP server.",
        discussion: """
            A request is answered by the recorded exchange it equals in method, path, query and body (JSON bodies as \
            JSON, form bodies as pairs, "{{any}}" matching anything; headers are not compared). Each exchange is \
            served at its URL's part after the fixture's base_url, so point the script's base_url at the printed \
            address. Of several matches the most specific (the most fields pinned) wins, ties to the first file \
            name; --case serves one fixture only. No match: 404 with a JSON body listing the nearest exchanges \
            and what differed. One line per request on standard output. Serves until Ctrl-C; exit 2 when the \
            fixtures cannot be loaded or the port cannot be bound.
            """
    )

    @Argument(help: "The integration (the script's name).")
    var integration: String

    @Option(help: "Directory of the fixtures, one folder per integration.")
    var fixtures = "Tests/ScriptFixtures"

    @Option(help: "Directory of the integration scripts.")
    var integrations = "integrations"

    @Option(help: "TCP port on 127.0.0.1 (0 picks a free one, printed).")
    var port: Int

    @Option(name: .customLong("case"), help: "Serve only this fixture (its file name without .json).")
    var caseName: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port)") }
    }

    func run() async throws {
        let exchanges: MockExchanges
        do {
            let catalog = try IntegrationCatalog.scan(integrations)
            guard catalog.scripts[integration] != nil else {
                throw ScriptLoadError(
                    file: catalog.path(of: integration),
                    message: "no such integration (scripts: \(catalog.scripts.keys.sorted().joined(separator: ", ")))")
            }
            exchanges = try MockExchanges.load(fixtures: fixtures, integration: integration, only: caseName)
        } catch {
            Self.say("leadrelay mock: \(error)", to: .standardError)
            throw ExitCode(2)
        }
        let matcher = MockMatcher(exchanges)
        let server: HandlerServer
        do {
            server = try await HandlerServer.start(port: port) { incoming in
                let answer = matcher.answer(
                    MockMatcher.Request(method: incoming.method, path: incoming.path, query: incoming.query, body: incoming.body))
                let target = incoming.path + (incoming.query.isEmpty ? "" : "?" + incoming.query)
                let served = answer.entry.map { "\($0.caseName) exchanges[\($0.index)]" } ?? "no recorded exchange matches"
                Self.say("\(incoming.method) \(target) -> \(answer.status) (\(served))")
                return EmulatorResponse(status: answer.status, headers: answer.headers, body: answer.body)
            }
        } catch {
            Self.say("leadrelay mock: \(error)", to: .standardError)
            throw ExitCode(2)
        }
        let cases = Set(exchanges.entries.map(\.caseName)).count
        var banner = [
            "leadrelay mock: \(exchanges.entries.count) exchange(s) of \(cases) case(s) of \(integration) on \(server.rootURL)",
            "  run the script with base_url=\(server.rootURL)",
        ]
        banner += exchanges.skipped.map { "  not served: \($0)" }
        Self.say(banner.joined(separator: "\n"))
        while true { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
    }

    /// Writes a line at once (no buffering: a test or a pipe reads it while the mock serves).
    static func say(_ line: String, to handle: FileHandle = .standardOutput) {
        handle.write(Data((line + "\n").utf8))
    }
}
