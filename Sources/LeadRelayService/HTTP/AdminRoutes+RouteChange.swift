import Hummingbird
import LeadJSON

extension AdminRoutes {
    /// `PATCH /api/v1/admin/routes/{id}` with any of `{"params": {...}, "priority", "daily_cap"
    /// (null: no cap), "countries": [...], "hours" (null: always), "status": {...}, "enabled"}`
    /// (`RouteChange`). A route as shown may be sent back: its read-only fields (`id`,
    /// `offer_id`, `integration`, `postback_token`, `on_approve`) are refused only when they
    /// differ from the route's; other keys are ignored.
    func changeRoute(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let id = try Self.routeID(context)
        let body = AdminBody(fields: fields)
        var change = RouteChange()
        if fields["params"] != nil { change.params = try body.object("params") }
        change.priority = try body.optionalInt("priority")
        if let cap = fields["daily_cap"] { change.dailyCap = cap.isNull ? .some(nil) : try body.optionalInt("daily_cap") }
        change.countries = try body.optionalStrings("countries")
        if let hours = fields["hours"] { change.hours = hours.isNull ? .some(nil) : try body.optionalString("hours") }
        change.status = try body.statusScheduleChange()
        change.enabled = try body.optionalBool("enabled")
        let current = try await admin.route(id)
        try Self.refuseReadOnly(fields, of: current)
        let (route, warnings) = try await admin.changeRoute(id, change)
        return JSONAnswer.make(.ok, ["route": route.displayed, "warnings": .array(warnings.map(JSONValue.string))], context: context)
    }

    /// A read-only field of a route given with another value than the route's.
    static func refuseReadOnly(_ fields: [String: JSONValue], of route: OfferRoute) throws(AdminError) {
        let shown = route.displayed
        for name in ["id", "offer_id", "integration", "postback_token", "on_approve"] {
            guard let given = fields[name], given != shown[name] else { continue }
            throw .invalid(
                field: name,
                detail: "is read-only (the route's is \(shown[name]?.encoded() ?? "null")); add a new route to the offer for another one")
        }
    }
}
