import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay route set ID [--param k=v ...] [--priority N] [--daily-cap N|--no-daily-cap]
/// [--countries DE,AT] [--hours ...|--no-hours] [--status-checks ...] ...`: changes a route in
/// place; it keeps its id, postback token, attempts and statuses.
struct RouteSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change a route in place (it keeps its id, postback token and history).",
        discussion: """
            Only what is given changes. --param gives the parameters as a whole, checked against the script's \
            manifest as on route add: a parameter left out is removed, except a secret, which keeps its stored \
            value when left out or given as ***. The running service routes with the change from its next claim \
            round.
            """)

    @OptionGroup var options: StoreOptions

    @Argument(help: "The route's id (route list shows it).")
    var id: Int64

    @Option(
        name: .customLong("param"),
        help: ArgumentHelp("Every parameter of the script, name=value (repeat it); secrets left out keep theirs.", valueName: "name=value"))
    var params: [String] = []

    @Option(help: "Lower goes first.")
    var priority: Int?

    @Option(help: "ISO 3166 alpha-2 codes the route takes, comma-separated (\"\" for every country).")
    var countries: String?

    @Option(help: "Leads accepted per day at most.")
    var dailyCap: Int?

    @Flag(help: "No daily cap any more.")
    var noDailyCap = false

    @Option(help: "Working hours, DAYS HH:MM-HH:MM ZONE (e.g. \"Mon-Fri 09:00-18:00 Europe/Berlin\").")
    var hours: String?

    @Flag(help: "No working hours any more: the route takes leads at any time.")
    var noHours = false

    @Option(
        name: [.customLong("status-checks"), .customLong("checks")],
        help: "Status checks to run, comma-separated: processing, approved, range, or none.")
    var statusChecks: String?

    @Option(help: "How often the route's status checks run (10m).")
    var statusEvery: String?

    @Option(help: "How long after acceptance a lead keeps being checked (30d).")
    var statusWindow: String?

    @Option(help: "The time window of a range check, ending now (1d).")
    var statusRange: String?

    func validate() throws {
        if noDailyCap, dailyCap != nil { throw ValidationError("--daily-cap and --no-daily-cap: give one of them") }
        if noHours, hours != nil { throw ValidationError("--hours and --no-hours: give one of them") }
    }

    func run() async throws {
        var change = RouteChange()
        if !params.isEmpty { change.params = try RouteParamOption.read(params) }
        change.priority = priority
        if noDailyCap { change.dailyCap = .some(nil) } else if let dailyCap { change.dailyCap = dailyCap }
        change.countries = countries.map { $0.split(separator: ",").map(String.init) }
        if noHours { change.hours = .some(nil) } else if let hours { change.hours = hours }
        change.status = try AdminExit.usage { () throws(AdminError) in
            try AdminInput.statusScheduleChange(checks: statusChecks, every: statusEvery, window: statusWindow, range: statusRange)
        }
        let store = try options.leadStore()
        var admin = Administration(store: store, routes: .none)
        if change.params != nil {
            // The parameters are checked against the manifest of the route's integration.
            let integration = try await Self.integration(of: id, admin: admin, options: options)
            admin = Administration(store: store, routes: try options.routeSetup(for: integration))
        }
        let edit = change
        try await options.perform { () async throws(AdminError) in
            let (route, warnings) = try await admin.changeRoute(id, edit)
            for warning in warnings { printError("warning: \(warning)") }
            var json = route.displayed.objectValue ?? [:]
            json["warnings"] = .array(warnings.map(JSONValue.string))
            options.emit(.object(json), text: "changed " + OfferText.line(route))
        }
    }

    static func integration(of id: Int64, admin: Administration, options: StoreOptions) async throws -> String {
        var integration = ""
        try await options.perform { () async throws(AdminError) in integration = try await admin.route(id).integration }
        return integration
    }
}

/// `--param name=value` options read into parameters (text values), each name once.
enum RouteParamOption {
    static func read(_ pairs: [String]) throws -> [String: JSONValue] {
        var given: [String: JSONValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--param \(pair): write it as name=value")
            }
            let name = String(pair[..<equals])
            guard given[name] == nil else { throw ValidationError("--param \(name) is given twice") }
            given[name] = .string(String(pair[pair.index(after: equals)...]))
        }
        return given
    }
}
