import IntegrationRuntime
import LeadJSON

/// Where a stored lead goes: the integration's pool (or any `CallRunner`) and the offer's
/// parameters for it. Offers and their routes (priority, caps, countries, hours) will
/// implement this; tests give a fixed route.
public protocol LeadRouting: Sendable {
    /// The route for `lead`'s next attempt, or nil when its offer has none (the lead then
    /// ends `error`, kept for redelivery once a route exists). A store error is thrown: the
    /// lead is then due again shortly, not ended.
    func route(for lead: StoredLead) async throws(StoreError) -> LeadRoute?
}

/// One route a lead is delivered through.
public struct LeadRoute: Sendable {
    /// The integration's name (the script's), for the delivery target and the attempt record.
    public var integration: String
    public var runner: any CallRunner
    public var params: [String: JSONValue]
    public var offer: Offer

    public init(integration: String, runner: any CallRunner, params: [String: JSONValue], offer: Offer) {
        self.integration = integration
        self.runner = runner
        self.params = params
        self.offer = offer
    }
}
