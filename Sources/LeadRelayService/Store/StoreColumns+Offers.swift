import IntegrationRuntime
import LeadJSON

/// Offers and routes as both stores keep them: the same columns, the same JSON texts
/// (`StoreText`), the same sealing of a route's secret parameters (`SealedFields.route`),
/// read back here once.
extension StoreColumns {
    /// The offer an `offers` row holds.
    func offer() throws(StoreError) -> StoredOffer {
        var reasons: Set<Outcome.Reason> = []
        for word in try parsedJSON("fall_through").arrayValue ?? [] {
            guard let reason = word.stringValue.flatMap(Outcome.Reason.init(rawValue:)) else {
                throw .corruptRow(table: table, detail: "fall_through holds \(word.encoded()), not a reason")
            }
            reasons.insert(reason)
        }
        var offer = StoredOffer(
            id: try text("id"), name: try text("name"), fallThrough: reasons,
            duplicateWindow: try nullableNumber("duplicate_window"), payout: try payout())
        offer.registrationWait = try number("registration_wait")
        return offer
    }

    /// The offer row's payout, nil when none is set; a half-set or unreadable one is corrupt.
    func payout() throws(StoreError) -> Payout? {
        let amount = try nullableText("payout_amount")
        let currency = try nullableText("payout_currency")
        let basis = try nullableText("payout_on")
        if amount == nil && currency == nil && basis == nil { return nil }
        guard let amount, let currency, let basis else {
            throw .corruptRow(table: table, detail: "payout_amount, payout_currency and payout_on are not all set")
        }
        do { return try Payout.parse(amount: amount, currency: currency, basis: basis) } catch {
            throw .corruptRow(table: table, detail: "the payout does not read: \(error.detail)")
        }
    }

    /// The route a `routes` row holds, its secret parameters opened with `sealer`.
    func route(opening sealer: SecretSealer?) throws(StoreError) -> OfferRoute {
        let offerID = try text("offer_id")
        let token = try text("postback_token")
        guard var params = try parsedJSON("params").objectValue else {
            throw .corruptRow(table: table, detail: "params is not an object")
        }
        let secrets = Set(try strings("secret_params"))
        let integration = try text("integration")
        try SealedFields.route(sealer: sealer, offerID: offerID, token: token, integration: integration)
            .open(&params, names: secrets)
        var hours: WorkingHours?
        if let text = try nullableText("hours") {
            guard let parsed = WorkingHours(text) else {
                throw .corruptRow(table: table, detail: "hours \(text.debugDescription) do not read")
            }
            hours = parsed
        }
        var route = OfferRoute(
            id: try integer("id"), offerID: offerID, integration: integration, params: params,
            secretParams: secrets, priority: Int(try integer("priority")), dailyCap: try nullableInteger("daily_cap").map { Int($0) },
            countries: Set(try strings("countries")), enabled: try flag("enabled"), hours: hours, postbackToken: token,
            status: try statusSchedule())
        route.onApprove = try flag("on_approve")
        return route
    }

    /// The status schedule of a `routes` row (`status_checks`, `status_interval`,
    /// `status_window`, `status_range`).
    func statusSchedule() throws(StoreError) -> StatusSchedule {
        var checks: Set<StatusCheck> = []
        for word in try parsedJSON("status_checks").arrayValue ?? [] {
            guard let check = word.stringValue.flatMap(StatusCheck.init(rawValue:)) else {
                throw .corruptRow(table: table, detail: "status_checks holds \(word.encoded()), not a status check")
            }
            checks.insert(check)
        }
        return StatusSchedule(
            checks: checks, intervalSeconds: try number("status_interval"), windowSeconds: try number("status_window"),
            rangeSeconds: try number("status_range"))
    }
}

extension SealedFields {
    /// Seals and opens a route's secret parameters, each bound to its offer, the route's
    /// postback token and its name (`offer/<id>/route/<token>/param/<name>`): the same place
    /// in either store, so a value sealed by one opens in the other.
    static func route(sealer: SecretSealer?, offerID: String, token: String, integration: String) -> SealedFields {
        SealedFields(sealer: sealer, holder: "route \(integration) of offer \(offerID)") {
            "offer/\(offerID)/route/\(token)/param/\($0)"
        }
    }
}

extension StoreText {
    /// An offer's fall-through reasons as a sorted JSON array of their names.
    static func reasons(_ reasons: Set<Outcome.Reason>) -> String { words(reasons.map(\.rawValue)) }

    /// A route's status checks: a JSON array of check names, in the order runs make them.
    static func checks(_ checks: Set<StatusCheck>) -> String {
        JSONValue.array(StatusCheck.allCases.filter(checks.contains).map { .string($0.rawValue) }).encoded()
    }
}
