import Foundation
import IntegrationRuntime
import LeadJSON

/// What ops ask for when they add a route to an offer (CLI `route add`, admin API).
public struct RouteRequest: Sendable, Equatable {
    public var offerID: String
    public var integration: String
    public var params: [String: JSONValue]
    public var priority: Int
    public var dailyCap: Int?
    /// ISO 3166 alpha-2 codes, any case; empty: every country.
    public var countries: [String]
    public var enabled: Bool
    /// Working hours as text (`Mon-Fri 09:00-18:00 Europe/Berlin`); nil: always.
    public var hours: String?
    /// Which status checks run and how often.
    public var status: StatusSchedule
    /// The offer's on-approve route (its script must declare `approved`): it gets the
    /// offer's approved leads and takes no push.
    public var onApprove: Bool = false

    public init(
        offerID: String, integration: String, params: [String: JSONValue], priority: Int = 0, dailyCap: Int? = nil,
        countries: [String] = [], enabled: Bool = true, hours: String? = nil, status: StatusSchedule = StatusSchedule()
    ) {
        self.status = status
        self.hours = hours
        self.offerID = offerID
        self.integration = integration
        self.params = params
        self.priority = priority
        self.dailyCap = dailyCap
        self.countries = countries
        self.enabled = enabled
    }
}

/// Turns ops' route requests into routes to store: the integration must be loaded, its
/// parameters fit its manifest (`RouteParameters`, secrets named by the manifest), the
/// countries be ISO alpha-2 codes and the cap positive. The route gets a new random
/// postback token.
///
///     let setup = RouteSetup(names: { directory.names }, manifest: { directory.pool($0)?.manifest })
///     let (route, warnings) = try setup.route(for: request)
///     let stored = try await store.save(route)
public struct RouteSetup: Sendable {
    let names: @Sendable () -> [String]
    let manifest: @Sendable (String) -> IntegrationManifest?

    /// - Parameters:
    ///   - names: the integrations that are loaded (for the "known" list of an error).
    ///   - manifest: the manifest of a loaded integration by name.
    public init(names: @escaping @Sendable () -> [String], manifest: @escaping @Sendable (String) -> IntegrationManifest?) {
        self.names = names
        self.manifest = manifest
    }

    /// The integrations a directory serves now (the running service's).
    public init(directory: IntegrationDirectory) {
        self.init(names: { directory.names }, manifest: { directory.pool($0)?.manifest })
    }

    /// No integration at all: every route is refused as naming an unknown integration.
    public static let none = RouteSetup(names: { [] }, manifest: { _ in nil })

    /// The route to store (id 0) and the warnings ops should see (secrets too short to mask).
    public func route(for request: RouteRequest) throws(RouteSetupError) -> (route: OfferRoute, warnings: [String]) {
        guard let manifest = manifest(request.integration) else {
            let known = names().sorted()
            throw .unknownIntegration(request.integration, suggestion: NearestName.among(known, to: request.integration), known: known)
        }
        let checked = try RouteParameters(request.params, manifest: manifest)
        let countries = try Self.countries(request.countries)
        try Self.check(dailyCap: request.dailyCap)
        let hours = try request.hours.map { text throws(RouteSetupError) in try Self.hours(text) }
        if let problem = request.status.problem { throw .invalidSetting(name: "status", detail: problem) }
        if request.onApprove, !manifest.supports(.approved) {
            throw .invalidSetting(
                name: "on-approve",
                detail:
                    "integration \(request.integration) cannot take approved leads: its script does not declare the approved action (actions: \(manifest.actions.map(\.rawValue).sorted().joined(separator: ", ")))"
            )
        }
        let route = OfferRoute(
            offerID: request.offerID, integration: request.integration, params: checked.params,
            secretParams: checked.secretNames, priority: request.priority, dailyCap: request.dailyCap,
            countries: countries, enabled: request.enabled, hours: hours, postbackToken: Self.newPostbackToken(),
            status: request.status)
        var made = route
        made.onApprove = request.onApprove
        return (made, checked.warnings)
    }

    /// A daily cap is at least 1 (nil: no cap).
    static func check(dailyCap: Int?) throws(RouteSetupError) {
        if let cap = dailyCap, cap < 1 {
            throw .invalidSetting(name: "daily cap", detail: "must be at least 1 (leave it out for no cap), not \(cap)")
        }
    }

    /// Working hours from their text (`Mon-Fri 09:00-18:00 Europe/Berlin`).
    static func hours(_ text: String) throws(RouteSetupError) -> WorkingHours {
        guard let parsed = WorkingHours(text) else {
            throw .invalidSetting(
                name: "hours",
                detail:
                    "\"\(text)\" is not DAYS HH:MM-HH:MM ZONE, such as \"Mon-Fri 09:00-18:00 Europe/Berlin\" (DAYS: *, Mon-Fri or Mon,Wed; ZONE: an IANA time zone)"
            )
        }
        return parsed
    }

    /// Upper-cased ISO 3166 alpha-2 codes; anything else is named.
    static func countries(_ given: [String]) throws(RouteSetupError) -> Set<String> {
        var codes: Set<String> = []
        for text in given {
            let code = text.trimmingCharacters(in: .whitespaces).uppercased()
            guard code.count == 2, code.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }) else {
                throw .invalidSetting(name: "countries", detail: "\"\(text)\" is not an ISO 3166 alpha-2 code such as DE or AT")
            }
            codes.insert(code)
        }
        return codes
    }

    /// 128 random bits, hex: the route's part of its postback address.
    static func newPostbackToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", generator.next() as UInt32) }.joined()
    }
}
