import IntegrationRuntime
import LeadJSON

/// What ops change of a route after it was added (CLI `route set`, admin API `PATCH
/// /api/v1/admin/routes/{id}`): each field given replaces the route's, each nil one keeps
/// it. The route keeps its id, integration, postback token, attempts and statuses.
///
///     var change = RouteChange()
///     change.priority = 2
///     change.dailyCap = .some(nil)  // no cap any more
public struct RouteChange: Sendable, Equatable {
    /// The parameters as a whole, checked against the script's manifest as on creation. A
    /// secret left out, or given as `***` (as routes show it), keeps its stored value;
    /// `null` removes a parameter.
    public var params: [String: JSONValue]?
    public var priority: Int?
    /// `.some(nil)`: no cap.
    public var dailyCap: Int??
    /// ISO 3166 alpha-2 codes; empty: every country.
    public var countries: [String]?
    /// Working hours as text; `.some(nil)`: always.
    public var hours: String??
    /// The status schedule's fields to change.
    public var status = StatusScheduleChange()
    public var enabled: Bool?

    public init() {}

    /// Nothing to change.
    public var isEmpty: Bool {
        params == nil && priority == nil && dailyCap == nil && countries == nil && hours == nil && status.isEmpty && enabled == nil
    }
}

extension RouteSetup {
    /// `route` with `change` applied and checked as a new route is (parameters against the
    /// integration's manifest, which must be loaded when parameters change), and the
    /// warnings to show; the caller stores it under the same id and token.
    public func route(_ route: OfferRoute, changedBy change: RouteChange) throws(RouteSetupError) -> (route: OfferRoute, warnings: [String])
    {
        var changed = route
        var warnings: [String] = []
        if let given = change.params {
            guard let manifest = manifest(route.integration) else {
                let known = names().sorted()
                throw .unknownIntegration(route.integration, suggestion: NearestName.among(known, to: route.integration), known: known)
            }
            var merged = given
            let secrets = route.secretParams.union(manifest.params.filter(\.secret).map(\.name))
            for name in secrets where given[name] == nil || given[name] == .string(OfferRoute.hiddenSecret) {
                merged[name] = route.params[name]
            }
            let checked = try RouteParameters(merged, manifest: manifest)
            changed.params = checked.params
            changed.secretParams = checked.secretNames
            warnings = checked.warnings
        }
        if let priority = change.priority { changed.priority = priority }
        if let cap = change.dailyCap {
            try Self.check(dailyCap: cap)
            changed.dailyCap = cap
        }
        if let countries = change.countries { changed.countries = try Self.countries(countries) }
        if let hours = change.hours { changed.hours = try hours.map { text throws(RouteSetupError) in try Self.hours(text) } }
        changed.status = change.status.applied(to: route.status)
        if let problem = changed.status.problem { throw .invalidSetting(name: "status", detail: problem) }
        if let enabled = change.enabled { changed.enabled = enabled }
        return (changed, warnings)
    }
}
