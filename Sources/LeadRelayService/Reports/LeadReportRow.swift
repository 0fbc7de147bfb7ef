import IntegrationRuntime
import LeadJSON

/// One lead as a row of `GET /api/v1/reports/leads`: the same columns in JSON and CSV, per
/// audience (`ReportAudience.leadColumns`).
public enum LeadReportRow {
    /// What every reader sees (an affiliate, of its own leads): the lead as it was sent,
    /// where it stands in neutral words, and the affiliate's payout.
    public static let affiliateColumns = [
        "id", "received_at", "updated_at", "offer_id", "affiliate_id", "sub_id", "click_id", "funnel", "country", "language",
        "first_name", "last_name", "email", "phone", "state", "reason", "stage", "payout", "payout_currency", "is_test",
        "anonymised",
    ]
    /// What employees with the reports right see besides: the buyer's side.
    public static let buyerColumns = [
        "route_id", "integration", "external_id", "message", "attempts", "sent_again", "revenue", "revenue_currency",
    ]

    /// The lead's values by column, for `audience`; `offers` gives each offer's payout.
    public static func values(_ lead: ReportedLead, offers: [String: StoredOffer], audience: ReportAudience) -> [String: JSONValue] {
        func field(_ name: String) -> JSONValue { lead.fields[name].flatMap { $0.stringValue.map(JSONValue.string) } ?? .null }
        let payout = Self.payout(lead, offer: offers[lead.offerID])
        var row: [String: JSONValue] = [
            "id": .string(lead.id), "received_at": .string(ISO8601.format(Int64(lead.receivedAt))),
            "updated_at": .string(ISO8601.format(Int64(lead.updatedAt))), "offer_id": .string(lead.offerID),
            "affiliate_id": lead.affiliateID.map(JSONValue.string) ?? .null,
            "state": .string(lead.state.rawValue), "reason": lead.outcome?.reason.map { .string($0.rawValue) } ?? .null,
            "stage": lead.stage.map { .string($0.rawValue) } ?? .null,
            "payout": payout.map { .string(Money.text($0.value)) } ?? .null,
            "payout_currency": payout.map { .string($0.currency) } ?? .null,
            "is_test": .bool(lead.isTest), "anonymised": .bool(lead.anonymisedAt != nil),
        ]
        for name in ["sub_id", "click_id", "funnel", "country", "language", "first_name", "last_name", "email", "phone"] {
            row[name] = field(name)
        }
        guard audience.seesBuyer else { return row }
        row["route_id"] = lead.routeID.map { .integer($0) } ?? .null
        row["integration"] = lead.integration.map(JSONValue.string) ?? .null
        row["external_id"] = lead.outcome?.externalID.map(JSONValue.string) ?? .null
        row["message"] = lead.outcome?.message.map(JSONValue.string) ?? .null
        row["attempts"] = .integer(Int64(lead.attempts))
        row["sent_again"] = .bool(lead.sentAgain)
        row["revenue"] = lead.revenue.map { .string(Money.text($0.value)) } ?? .null
        row["revenue_currency"] = lead.revenue.map { .string($0.currency) } ?? .null
        return row
    }

    /// What the affiliate earns for the lead under its offer's payout: the amount when the
    /// lead meets the basis (accepted; or at stage approve), else nothing (`Payout.earns`).
    public static func payout(_ lead: ReportedLead, offer: StoredOffer?) -> Amount? {
        guard let payout = offer?.payout,
            payout.earns(accepted: lead.state == .accepted, stage: lead.stage, isTest: lead.isTest)
        else { return nil }
        return Amount(value: payout.amount, currency: payout.currency)
    }
}
