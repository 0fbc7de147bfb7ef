import ArgumentParser
import Foundation
import LeadJSON
import LeadRelayService

/// `leadrelay redeliver`: held leads (state `error`) due again, for the running service to send.
struct RedeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeliver",
        abstract: "Send held leads (state error) again, each as its next attempt.",
        discussion: """
            Leads end held when their script failed, no route took them or their retries ran out. Once the cause \
            is fixed (a script corrected, a route added), this makes them due again; the running service sends \
            them through their offer's routes as they are now. Narrow with --integration (of the lead's last \
            attempt), --offer, --since and --until (when the lead was received); --dry-run lists them only.
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
            let ids = try await Redelivery(store: store).run(which, dryRun: dryRun)
            let verb = dryRun ? "would redeliver" : "redelivered"
            let text =
                ids.isEmpty
                ? "no held lead matches"
                : "\(verb) \(ids.count) lead\(ids.count == 1 ? "" : "s")\(dryRun ? "" : " (due now: the running service sends them)"):\n"
                    + ids.joined(separator: "\n")
            options.emit(Redelivery.json(ids, dryRun: dryRun), text: text)
        }
    }
}
