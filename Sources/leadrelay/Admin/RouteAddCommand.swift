import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay route add --offer 7 --integration trackbox --param base_url=https://... --param api_key=...`:
/// the parameters are checked against the script's manifest; its secrets are stored encrypted.
struct RouteAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a route to an offer; its params are checked against the script's manifest.")

    @OptionGroup var options: StoreOptions

    @Option(help: "The offer's id.")
    var offer: String

    @Option(help: "The integration (the script's name in --integrations).")
    var integration: String

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter of the script, name=value (repeat it).", valueName: "name=value"))
    var params: [String] = []

    @Option(help: "Lower goes first.")
    var priority = 0

    @Option(help: "ISO 3166 alpha-2 codes the route takes, comma-separated (default: every country).")
    var countries: String?

    @Option(help: "Leads accepted per day at most (default: no cap).")
    var dailyCap: Int?

    @Option(help: "Working hours, DAYS HH:MM-HH:MM ZONE (e.g. \"Mon-Fri 09:00-18:00 Europe/Berlin\"; default: always).")
    var hours: String?

    @Option(help: "Status checks to run, comma-separated: processing, approved, range, or none (default: processing).")
    var statusChecks: String?

    @Option(help: "How often the route's status checks run (default: 10m).")
    var statusEvery: String?

    @Option(help: "How long after acceptance a lead keeps being checked (default: 30d).")
    var statusWindow: String?

    @Option(help: "The time window of a range check, ending now (default: 1d).")
    var statusRange: String?

    @Flag(help: "Store the route disabled.")
    var disabled = false

    @Flag(help: "The offer's on-approve route: it gets the offer's approved leads (its script must declare approved), never pushes.")
    var onApprove = false

    func run() async throws {
        let given = try RouteParamOption.read(params)
        let codes = countries.map { $0.split(separator: ",").map(String.init) } ?? []
        let admin = try options.administration(routes: try options.routeSetup(for: integration))
        try await options.perform { () async throws(AdminError) in
            let status = try AdminInput.statusSchedule(checks: statusChecks, every: statusEvery, window: statusWindow, range: statusRange)
            var request = RouteRequest(
                offerID: offer, integration: integration, params: given, priority: priority, dailyCap: dailyCap, countries: codes,
                enabled: !disabled, hours: hours, status: status)
            request.onApprove = onApprove
            let (route, warnings) = try await admin.addRoute(request)
            for warning in warnings { printError("warning: \(warning)") }
            var json = route.displayed.objectValue ?? [:]
            json["warnings"] = .array(warnings.map(JSONValue.string))
            options.emit(.object(json), text: "added to offer \(route.offerID): " + OfferText.line(route))
        }
    }
}
