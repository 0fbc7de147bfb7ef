import LeadJSON

extension OfferRoute {
    /// What shows a route's value where it must not: a secret is write-only.
    public static let hiddenSecret = "***"

    /// The parameters to show (CLI, admin API): each secret as `***`, never its value.
    public var displayedParams: [String: JSONValue] {
        var shown = params
        for name in secretParams where shown[name] != nil { shown[name] = .string(Self.hiddenSecret) }
        return shown
    }

    /// The route as the CLI's `--format json` and the admin API show it, secrets as `***`.
    public var displayed: JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(id), "offer_id": .string(offerID), "integration": .string(integration),
            "params": .object(displayedParams), "secret_params": .array(secretParams.sorted().map(JSONValue.string)),
            "priority": .integer(Int64(priority)), "countries": .array(countries.sorted().map(JSONValue.string)),
            "enabled": .bool(enabled), "postback_token": .string(postbackToken), "on_approve": .bool(onApprove),
        ]
        object["daily_cap"] = dailyCap.map { .integer(Int64($0)) } ?? .null
        object["hours"] = hours.map { .string($0.description) } ?? .null
        object["status"] = .object([
            "checks": .array(status.orderedChecks.map { .string($0.rawValue) }), "interval": .number(status.intervalSeconds),
            "window": .number(status.windowSeconds), "range": .number(status.rangeSeconds),
        ])
        return .object(object)
    }
}
