import Hummingbird
import LeadJSON

extension AdminRoutes {
    /// `PATCH /api/v1/admin/offers/{id}` with any of `{"name", "fall_through": [...],
    /// "duplicate_window": seconds (null: no check), "payout": 25 or "25.00" (null: no payout),
    /// "currency", "payout_on", "registration_wait_seconds": 0 to 60}` (`OfferChange`); other
    /// keys are ignored.
    func changeOffer(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        var change = OfferChange()
        change.name = try body.optionalString("name")
        change.fallThrough = try body.optionalStrings("fall_through").map { words throws(AdminError) in
            try AdminInput.reasons(words, field: "fall_through")
        }
        if let window = fields["duplicate_window"] {
            change.duplicateWindow = window.isNull ? .some(nil) : try body.optionalNumber("duplicate_window")
        }
        if fields["payout"]?.isNull == true {
            change.removePayout = true
        } else {
            change.payout = try body.optionalAmount("payout")
        }
        change.currency = try body.optionalString("currency")
        change.payoutOn = try body.optionalString("payout_on")
        change.registrationWait = try body.optionalNumber("registration_wait_seconds")
        let offer = try await admin.changeOffer(context.parameters.get("id") ?? "", change)
        return JSONAnswer.make(.ok, ["offer": offer.displayed], context: context)
    }
}
