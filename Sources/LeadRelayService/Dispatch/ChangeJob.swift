import IntegrationRuntime
import LeadJSON

/// What a claimed change needs to be sent, read from the store: its route (the one that
/// accepted the lead, or the offer's on-approve route), the runner of its script, and the
/// lead as the script's `prepare` gets it (the stored fields, updates merged, `id` and
/// `external_id` set); or why it cannot be sent (it then ends `error`, kept for redelivery).
enum ChangeJob {
    struct Route {
        var id: Int64
        var integration: String
        var params: [String: JSONValue]
        var offer: Offer
    }

    case send(Route, any CallRunner, lead: JSONValue, hidden: [(name: String, value: String)])
    case unsendable(String)

    static func make(
        _ change: StoredChange, store: any ChangeStore & LeadStore, offers: any OfferStore,
        runner: @Sendable (String) -> (any CallRunner)?
    ) async throws(StoreError) -> ChangeJob {
        guard let lead = try await store.lead(id: change.leadID) else { return .unsendable("lead \(change.leadID) is gone") }
        guard let route = try await offers.route(id: change.routeID) else {
            return .unsendable("route \(change.routeID) of offer \(lead.offerID) was removed; the \(change.action.rawValue) is kept")
        }
        guard let run = runner(route.integration) else {
            return .unsendable("integration \(route.integration) is not loaded; the \(change.action.rawValue) is kept for redelivery")
        }
        if let pool = run as? IntegrationPool, !pool.manifest.supports(change.action) {
            return .unsendable("integration \(route.integration) does not declare the \(change.action.rawValue) action")
        }
        let name = try await offers.offer(id: lead.offerID)?.name ?? lead.offerID
        var fields = lead.scriptFields
        if let external = try await store.acceptance(leadID: lead.id)?.externalID { fields["external_id"] = .string(external) }
        let hidden = SensitiveFields.names.compactMap { name in
            fields[name]?.stringValue.map { (name: "lead.\(name)", value: $0) }
        }
        return .send(
            Route(id: route.id, integration: route.integration, params: route.params, offer: Offer(id: lead.offerID, name: name)),
            run, lead: .object(fields), hidden: hidden)
    }
}
