import ArgumentParser
import Foundation
import IntegrationRuntime
import LeadJSON
import LeadRelayService

/// `leadrelay fixture`: fixtures made from what the service stored.
struct FixtureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixture", abstract: "Make fixtures from the service's stored attempts.",
        subcommands: [FixtureFromAttemptCommand.self])
}

/// `leadrelay fixture from-attempt LEAD[:N]`: a stored delivery attempt written as a fixture.
struct FixtureFromAttemptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "from-attempt",
        abstract: "Write a stored delivery attempt of a lead as a fixture that leadrelay check replays.",
        discussion: """
            ID is the lead's id, for its last attempt, or LEAD:N for its attempt N. The fixture holds the lead \
            (its password as ***password***), the route's parameters (secret ones as ***name***), the attempt's \
            exchanges as the store kept them (signatures, nonces, timestamps and credentials the store masked \
            without a name as {{any}}), now the attempt's start and expect its outcome. Exit 0 written, 1 no such \
            attempt or route, 2 a store, key or script that cannot be opened or a file that cannot be written.
            """)

    @Argument(help: "LEAD (its last attempt) or LEAD:N.")
    var id: String

    @OptionGroup var options: StoreOptions

    @Option(help: "Write the fixture to this file (default: standard output).")
    var output: String?

    func run() async throws {
        let (leadID, number) = parse(id)
        let store: SQLiteStore
        do { store = try options.leadStore() } catch { try fail(2, "\(error)") }
        let found: (AttemptRecord, StoredLead, OfferRoute)
        do {
            guard let lead = try await store.lead(id: leadID) else { try fail(1, "no lead \(leadID) in \(options.store)") }
            let attempts = try await store.attempts(leadID: leadID)
            guard let attempt = number.map({ n in attempts.first { $0.number == n } }) ?? attempts.last else {
                try fail(1, "lead \(leadID) has no attempt\(number.map { " \($0)" } ?? "") (attempts: \(attempts.map(\.number)))")
            }
            guard let routeID = attempt.routeID, let route = try await store.route(id: routeID) else {
                try fail(1, "attempt \(leadID):\(attempt.number) names no stored route: its parameters are unknown")
            }
            found = (attempt, lead, route)
        } catch let error as StoreError { try fail(2, "\(error)") }
        let (attempt, lead, route) = found
        let manifest: IntegrationManifest
        do { manifest = try IntegrationCatalog.scan(options.integrations).instance(route.integration).manifest } catch {
            try fail(2, "\(error)")
        }
        var params = route.params
        for spec in manifest.params where spec.secret && params[spec.name] != nil { params[spec.name] = .string("***\(spec.name)***") }
        var fields = lead.scriptFields
        for name in SensitiveFields.names where fields[name] != nil { fields[name] = .string("***\(name)***") }
        let offer = (try? await store.offer(id: lead.offerID)) ?? nil
        let input = CallInput(
            action: lead.action, subject: .lead(.object(fields)), params: params,
            offer: Offer(id: lead.offerID, name: offer?.name ?? ""), attempt: attempt.number, now: Int64(attempt.startedAt),
            test: lead.isTest)
        let recording = FixtureRecorder.record(
            stored: attempt.report, input: input, outcome: attempt.outcome, declared: Set(manifest.params.map(\.name)),
            description: "stored attempt \(leadID):\(attempt.number) through \(route.integration) ended \(attempt.outcome.kind.rawValue)")
        let text = recording.fixture.prettyEncoded() + "\n"
        if let output {
            do {
                let url = URL(fileURLWithPath: output)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            } catch { try fail(2, "cannot write \(output): \(error.localizedDescription)") }
        } else {
            print(text, terminator: "")
        }
        let notes = recording.warnings.map { "leadrelay fixture: \($0)\n" }.joined()
        FileHandle.standardError.write(Data(notes.utf8))
    }

    /// `LEAD` or `LEAD:N` (N a whole number from 1).
    func parse(_ id: String) -> (String, Int?) {
        if let colon = id.lastIndex(of: ":"), let n = Int(id[id.index(after: colon)...]), n >= 1 {
            return (String(id[..<colon]), n)
        }
        return (id, nil)
    }

    func fail(_ status: Int32, _ message: String) throws -> Never {
        FileHandle.standardError.write(Data("leadrelay fixture from-attempt: \(message)\n".utf8))
        throw ExitCode(status)
    }
}
