import ArgumentParser
import Foundation
import LeadJSON
import LeadRelayService

/// `leadrelay redeliver`: held leads and held changes of delivered leads (state `error`) due
/// again, for the running service to send.
struct RedeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeliver",
        abstract: "Send held leads and held changes (state error) again, each as its next attempt.",
        discussion: """
            Leads end held when their script failed, no route took them or their retries ran out. Once the cause \
            is fixed (a script corrected, a route added), this makes them due again; the running service sends \
            them through their offer's routes as they are now. Changes of delivered leads (update, approved) held \
            in error are made due again too, each to its own route. Narrow with --integration (of the lead's last \
            attempt; of the change's route), --offer, --since and --until (when the lead was received; when the \
            change was queued); --dry-run lists them only.
            """)

    @OptionGroup var options: StoreOptions

    @Option(help: "Only leads whose last attempt went through this integration.")
    var integration: String?

    @Option(help: "Only leads of this offer.")
    var offer: String?

    @Option(help: "Only leads received at or after this time (2026-12-07T10:00:00Z, or a UTC day 2026-12-07).")
    var since: String?

    @Option(help: "Only leads received before this time.")
    var until: String?

    @Flag(help: "List the leads that would be redelivered; change nothing.")
    var dryRun = false

    func run() async throws {
        let which = HeldLeads(
            integration: integration, offerID: offer,
            from: try since.map { text in try AdminExit.usage { () throws(AdminError) in try Redelivery.time(text, field: "--since") } },
            to: try until.map { text in try AdminExit.usage { () throws(AdminError) in try Redelivery.time(text, field: "--until") } })
        let store: SQLiteStore
        do { store = try options.leadStore() } catch { throw AdminExit.refused("\(error)") }
        try await options.perform { () async throws(AdminError) in
            let named = try await Redelivery(store: store).run(which, dryRun: dryRun)
            options.emit(Redelivery.json(named, dryRun: dryRun), text: Self.text(named, dryRun: dryRun))
        }
    }

    /// The held leads, then the held changes, each on its own line.
    static func text(_ named: Redelivery.Named, dryRun: Bool) -> String {
        guard !named.leads.isEmpty || !named.changes.isEmpty else { return "no held lead or change matches" }
        let verb = dryRun ? "would redeliver" : "redelivered"
        var lines: [String] = []
        if !named.leads.isEmpty {
            lines.append(
                "\(verb) \(named.leads.count) lead\(named.leads.count == 1 ? "" : "s")\(dryRun ? "" : " (due now: the running service sends them)"):"
            )
            lines += named.leads
        }
        if !named.changes.isEmpty {
            lines.append(
                "\(verb) \(named.changes.count) change\(named.changes.count == 1 ? "" : "s") of delivered leads\(dryRun ? "" : " (due now)"):"
            )
            lines += named.changes.map { "\($0.id)  \($0.action.rawValue) of lead \($0.leadID)" }
        }
        return lines.joined(separator: "\n")
    }
}
