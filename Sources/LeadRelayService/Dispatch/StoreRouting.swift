import Foundation
import IntegrationRuntime
import LeadJSON

/// Routes a lead by its offer's routes in the store (`RouteChoice`): the first route by
/// priority that is enabled, whose integration has a runner (a pool of the integrations
/// directory), that takes the lead's `country` (a route with no countries takes every one),
/// that has not rejected the lead already, that is under its daily cap (leads accepted since
/// the start of its day, plus those being sent through it: `LocalRouteLoad`) and inside its
/// working hours.
/// Outside every candidate's hours the lead is held until the first opens; when every
/// candidate is capped it is rejected `cap_reached`.
///
///     let routing = StoreRouting(offers: store) { directory.pool($0) }
public struct StoreRouting: LeadRouting {
    let offers: any OfferStore
    let runner: @Sendable (String) -> (any CallRunner)?
    /// Set for one claim round (`forRound`): the store's offers and routes read once in it.
    private var round: RoutingRound?

    /// - Parameter runner: the runner of an integration by name (`IntegrationDirectory.pool`).
    public init(offers: any OfferStore, runner: @escaping @Sendable (String) -> (any CallRunner)?) {
        self.offers = offers
        self.runner = runner
    }

    /// A routing that reads each offer, its routes and their counts once: the dispatcher
    /// asks for one per claim round.
    public func forRound() -> any LeadRouting {
        var routing = self
        routing.round = RoutingRound(offers: offers)
        return routing
    }

    public func route(for lead: StoredLead) async throws(StoreError) -> LeadRoute? {
        let now = Date().timeIntervalSince1970
        guard case .deliver(let route) = try await decide(for: lead, now: now, local: .none) else { return nil }
        return route
    }

    public func decide(for lead: StoredLead, now: Double, local: LocalRouteLoad) async throws(StoreError) -> RouteDecision {
        let read = round ?? RoutingRound(offers: offers)
        guard let offer = try await read.offer(id: lead.offerID) else {
            return .noRoute("offer \(lead.offerID) does not exist; the lead is kept for redelivery")
        }
        var candidates: [RouteChoice.Candidate] = []
        for route in try await read.routes(offerID: lead.offerID) {
            var load = 0
            if route.enabled, route.dailyCap != nil {
                let day = RouteChoice.dayStart(of: route, at: now)
                let others = try await read.acceptedCount(routeID: route.id, since: day, excludingRun: local.run)
                load = others + local.count(route.id, day)
            }
            let usable = runner(route.integration).map { Self.supports($0, lead.action) } ?? false
            candidates.append(.init(route: route, loaded: usable, load: load))
        }
        let choice = RouteChoice.decide(
            offerID: offer.id, candidates, country: lead.fields["country"]?.stringValue?.uppercased(),
            tried: Set(lead.routesTried), lastOutcome: lead.outcome, now: now)
        switch choice {
        case .deliver(let route):
            guard let runner = runner(route.integration) else { return .noRoute("integration \(route.integration) is not loaded") }
            return .deliver(
                LeadRoute(
                    integration: route.integration, runner: runner, params: route.params,
                    offer: Offer(id: offer.id, name: offer.name), routeID: route.id, fallThrough: offer.fallThrough,
                    capDay: route.dailyCap == nil ? nil : RouteChoice.dayStart(of: route, at: now)))
        case .hold(let until): return .hold(until: until)
        case .reject(let outcome): return .reject(outcome)
        case .noRoute(let message):
            guard lead.action == .register else { return .noRoute(message) }
            return .noRoute(
                "offer \(offer.id) has no enabled route whose script can register leads (action register); the lead is kept for redelivery")
        }
    }

    /// Whether `runner` runs `action`: an integration's pool says so in its manifest (a
    /// registration skips routes whose script has no `register`); any other runner is taken
    /// at its word.
    static func supports(_ runner: any CallRunner, _ action: Action) -> Bool {
        (runner as? IntegrationPool)?.manifest.supports(action) ?? true
    }
}
