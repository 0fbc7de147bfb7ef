import Hummingbird
import LeadJSON

extension AdminRoutes {
    func listOffers(_ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let offers = try await admin.offers()
        return JSONAnswer.make(.ok, ["offers": .array(offers.map(\.displayed))], context: context)
    }

    /// `{"name": ..., "id"?: ..., "fall_through"?: [reasons], "duplicate_window"?: seconds,
    /// "payout"?: 25 or "25.00", "currency"?: "EUR", "payout_on"?: "accepted"|"approved",
    /// "registration_wait_seconds"?: 0 to 60}`.
    func createOffer(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let reasons = try body.optionalStrings("fall_through").map { words throws(AdminError) in
            try AdminInput.reasons(words, field: "fall_through")
        }
        let window = try body.optionalNumber("duplicate_window")
        if let window, window <= 0 { throw .invalid(field: "duplicate_window", detail: "must be seconds above 0") }
        let payout = try AdminInput.payout(
            amount: try body.optionalAmount("payout"), currency: try body.optionalString("currency"),
            basis: try body.optionalString("payout_on"), fields: ("payout", "currency", "payout_on"))
        let offer = try await admin.createOffer(
            id: try body.optionalString("id"), name: try body.string("name"), fallThrough: reasons, duplicateWindow: window,
            payout: payout, registrationWait: try body.optionalNumber("registration_wait_seconds") ?? 0)
        return JSONAnswer.make(.created, ["offer": offer.displayed], context: context)
    }

    func listRoutes(_ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let offer = context.parameters.get("id") ?? ""
        let routes = try await admin.routes(offerID: offer)
        return JSONAnswer.make(.ok, ["offer_id": .string(offer), "routes": .array(routes.map(\.displayed))], context: context)
    }

    /// `{"integration": ..., "params": {...}, "priority"?, "daily_cap"?, "countries"?: [...], "enabled"?, "hours"?, "status"?: {...},
    /// "on_approve"?: true}`;
    /// 422 naming each parameter that does not fit the script's manifest.
    func addRoute(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        var request = RouteRequest(
            offerID: context.parameters.get("id") ?? "", integration: try body.string("integration"), params: try body.object("params"),
            priority: try body.optionalInt("priority") ?? 0, dailyCap: try body.optionalInt("daily_cap"),
            countries: try body.optionalStrings("countries") ?? [], enabled: try body.optionalBool("enabled") ?? true,
            hours: try body.optionalString("hours"), status: try body.statusSchedule())
        request.onApprove = try body.optionalBool("on_approve") ?? false
        let (route, warnings) = try await admin.addRoute(request)
        return JSONAnswer.make(
            .created, ["route": route.displayed, "warnings": .array(warnings.map(JSONValue.string))], context: context)
    }

    func removeRoute(_ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let id = try Self.routeID(context)
        try await admin.removeRoute(id)
        return JSONAnswer.make(.ok, ["removed": .integer(id)], context: context)
    }

    static func routeID(_ context: ServiceRequestContext) throws(AdminError) -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text) else { throw .notFound("no route \(text)") }
        return id
    }
}
