import IntegrationRuntime
import LeadJSON

/// Where a stored lead goes: the integration's pool (or any `CallRunner`) and the offer's
/// parameters for it. `StoreRouting` chooses among the offer's routes (priority, caps,
/// countries, hours, fall-through); tests give a fixed route.
public protocol LeadRouting: Sendable {
    /// The route for `lead`'s next attempt, or nil when its offer has none (the lead then
    /// ends `error`, kept for redelivery once a route exists). A store error is thrown: the
    /// lead is then due again shortly, not ended.
    func route(for lead: StoredLead) async throws(StoreError) -> LeadRoute?

    /// What to do with `lead` at `now`: deliver, hold, reject or no route. `local` is the
    /// calling dispatcher's own load on each route (its daily cap counts it). The default
    /// delivers through `route(for:)`.
    func decide(for lead: StoredLead, now: Double, local: LocalRouteLoad) async throws(StoreError) -> RouteDecision

    /// The routing to use for one claim round's leads: it may read what they share (their
    /// offers and routes) once. The default is this routing itself.
    func forRound() -> any LeadRouting
}

extension LeadRouting {
    public func forRound() -> any LeadRouting { self }

    public func decide(for lead: StoredLead, now: Double, local: LocalRouteLoad) async throws(StoreError) -> RouteDecision {
        guard let route = try await route(for: lead) else {
            return .noRoute("offer \(lead.offerID) has no route to deliver through; the lead is kept for redelivery")
        }
        return .deliver(route)
    }
}

/// One route a lead is delivered through.
public struct LeadRoute: Sendable {
    /// The integration's name (the script's), for the delivery target and the attempt record.
    public var integration: String
    public var runner: any CallRunner
    public var params: [String: JSONValue]
    public var offer: Offer
    /// The stored route's id, when it is one (its attempts count toward its daily cap).
    public var routeID: Int64?
    /// The rejection reasons that send the lead on to the offer's next route.
    public var fallThrough: Set<Outcome.Reason>
    /// Where the route's day started when it was chosen (its daily cap counts from it); nil
    /// for a route without a cap.
    public var capDay: Double?

    public init(
        integration: String, runner: any CallRunner, params: [String: JSONValue], offer: Offer, routeID: Int64? = nil,
        fallThrough: Set<Outcome.Reason> = [], capDay: Double? = nil
    ) {
        self.capDay = capDay
        self.routeID = routeID
        self.fallThrough = fallThrough
        self.integration = integration
        self.runner = runner
        self.params = params
        self.offer = offer
    }
}
