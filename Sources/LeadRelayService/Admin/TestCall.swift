import Foundation
import IntegrationRuntime
import LeadJSON
import OutboundHTTP

/// One call of the test window (Track360's "API testing integration"): a lead run through
/// one of an offer's routes, live or dry, with `ctx.test` set so the script passes the
/// network's own test flag. A dry run stores nothing; a live call is stored as a test lead
/// (`TestLeadStore`: final at once, never sent again, no affiliate postback, no payout, out
/// of reports unless asked for). The answer shows the request as sent (secrets named,
/// `***api_token***`), the answer and the outcome.
public struct TestCall: Sendable {
    /// `dry`: nothing is sent; the answer shows the first request the script built.
    /// `live`: one attempt through the service's pool (its rate limits and egress policy),
    /// never retried.
    public enum Mode: String, Sendable {
        case dry, live
    }

    let store: any OfferStore
    let scripts: IntegrationDirectory?
    /// Where live calls are kept as test leads; nil: they are not kept.
    let leads: (any TestLeadStore)?

    public init(store: any OfferStore, scripts: IntegrationDirectory?, leads: (any TestLeadStore)? = nil) {
        self.store = store
        self.scripts = scripts
        self.leads = leads
    }

    /// Runs `lead` (the intake's fields) for `offerID` through `routeID`, or through the
    /// first enabled route with a loaded integration that takes the lead's country.
    public func run(offerID: String, lead: [String: JSONValue], routeID: Int64?, action: Action, mode: Mode) async throws(AdminError)
        -> JSONValue
    {
        guard let scripts else { throw .invalid(field: "mode", detail: "no integrations are loaded in this server") }
        let offer: StoredOffer?
        let routes: [OfferRoute]
        do {
            offer = try await store.offer(id: offerID)
            routes = try await store.routes(offerID: offerID)
        } catch { throw .store(error) }
        guard let offer else { throw .notFound("offer \(offerID)") }
        let country = lead["country"]?.stringValue?.uppercased()
        let route: OfferRoute
        if let routeID {
            guard let chosen = routes.first(where: { $0.id == routeID }) else { throw .notFound("route \(routeID) of offer \(offerID)") }
            route = chosen
        } else {
            let usable = routes.first { candidate in
                candidate.enabled && scripts.pool(candidate.integration) != nil
                    && (candidate.countries.isEmpty || country.map(candidate.countries.contains) == true)
            }
            guard let usable else {
                throw .invalid(field: "route_id", detail: "no enabled route of offer \(offerID) with a loaded integration takes this lead")
            }
            route = usable
        }
        guard let pool = scripts.pool(route.integration) else {
            throw .invalid(field: "route_id", detail: "the integration \(route.integration) of route \(route.id) is not loaded")
        }
        guard pool.manifest.supports(action) else {
            throw .invalid(field: "action", detail: "\(route.integration) has no \(action.rawValue) action")
        }
        // A live call's lead is stored under this id: the network hears the id it is kept by.
        let leadID = mode == .live && leads != nil ? RandomID.uuid() : "test-" + UUID().uuidString.lowercased().prefix(8)
        var fields = lead
        fields["id"] = .string(leadID)
        let startedAt = Date().timeIntervalSince1970
        fields["created_at"] = .string(ISO8601.format(Int64(startedAt)))
        let input = CallInput(
            action: action, subject: .lead(.object(fields)), params: route.params, offer: Offer(id: offer.id, name: offer.name),
            now: Int64(startedAt), test: true)
        let result: CallResult
        switch mode {
        case .live:
            result = await pool.run(input)
        case .dry:
            let dry: IntegrationPool
            do {
                dry = try IntegrationPool(
                    catalog: try IntegrationCatalog.scan(scripts.path), name: route.integration, transport: DryRunTransport(), workers: 1)
            } catch {
                throw .invalid(field: "route_id", detail: "the script of \(route.integration) does not load: \(error)")
            }
            defer { dry.shutdown() }
            result = await dry.run(input)
        }
        let report = CallReport.stored(
            result,
            hiding: SensitiveFields.names.compactMap { name in
                lead[name]?.stringValue.map { (name: "lead.\(name)", value: $0) }
            })
        var answer: [String: JSONValue] = [
            "offer_id": .string(offer.id), "mode": .string(mode.rawValue), "action": .string(action.rawValue), "test": .bool(true),
            "route": .object(["id": .integer(route.id), "integration": .string(route.integration)]),
        ]
        if mode == .live, let leads {
            let outcome = result.outcome ?? .error("the test call ended without an outcome")
            let attempt = AttemptRecord(
                leadID: leadID, number: 1, integration: route.integration, startedAt: startedAt,
                endedAt: Date().timeIntervalSince1970, outcome: outcome, report: report.json, routeID: route.id)
            let stored = NewLead(offerID: offer.id, fields: .object(lead), isTest: true, receivedAt: startedAt)
            do {
                try await leads.storeTestLead(
                    id: leadID, stored, attempt: attempt, state: .afterTestCall(outcome))
            } catch { throw .store(error) }
            answer["lead_id"] = .string(leadID)
        }
        if mode == .dry {
            answer["request"] = report.firstRequest ?? .null
        } else {
            answer.merge(report.json.objectValue ?? [:]) { mine, _ in mine }
        }
        return report.masker.mask(JSONValue.object(answer))
    }
}
