import IntegrationRuntime
import LeadJSON

/// Routes a lead by its offer's routes in the store: the first enabled route, by priority,
/// whose countries take the lead's `country` (a route with no countries takes every one),
/// and whose integration has a runner (a pool of the integrations directory).
///
/// Not yet: daily caps, working hours, and falling through to the next route on the
/// offer's rejection reasons (issue 12, point 3).
///
///     let routing = StoreRouting(offers: store) { directory.pool($0) }
public struct StoreRouting: LeadRouting {
    let offers: any OfferStore
    let runner: @Sendable (String) -> (any CallRunner)?

    /// - Parameter runner: the runner of an integration by name (`IntegrationDirectory.pool`).
    public init(offers: any OfferStore, runner: @escaping @Sendable (String) -> (any CallRunner)?) {
        self.offers = offers
        self.runner = runner
    }

    public func route(for lead: StoredLead) async throws(StoreError) -> LeadRoute? {
        guard let offer = try await offers.offer(id: lead.offerID) else { return nil }
        let routes = try await offers.routes(offerID: lead.offerID)
        let country = lead.fields["country"]?.stringValue?.uppercased()
        for route in routes where route.enabled {
            if !route.countries.isEmpty {
                guard let country, route.countries.contains(country) else { continue }
            }
            guard let runner = runner(route.integration) else { continue }
            return LeadRoute(
                integration: route.integration, runner: runner, params: route.params,
                offer: Offer(id: offer.id, name: offer.name))
        }
        return nil
    }
}
