import Hummingbird
import LeadJSON

extension AdminRoutes {
    func listAffiliates(_ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let affiliates = try await admin.affiliates()
        return JSONAnswer.make(.ok, ["affiliates": .array(affiliates.map(\.displayed))], context: context)
    }

    /// `{"name": ..., "id"?: ..., "offers"?: [offer ids to grant], "postback_url"?: template}`.
    func createAffiliate(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let offers = try body.optionalStrings("offers") ?? []
        for offer in offers { _ = try await admin.offer(offer) }
        var affiliate = try await admin.createAffiliate(
            id: try body.optionalString("id"), name: try body.string("name"), postbackURL: try body.optionalString("postback_url"))
        if !offers.isEmpty { affiliate = try await admin.grant(affiliateID: affiliate.id, offers: offers) }
        return JSONAnswer.make(.created, ["affiliate": affiliate.displayed], context: context)
    }

    func listKeys(_ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let keys = try await admin.keys(affiliateID: context.parameters.get("id") ?? "")
        let now = admin.now
        return JSONAnswer.make(.ok, ["keys": .array(keys.map { $0.displayed(now: now) })], context: context)
    }

    /// `{"permissions": [...], "allow": ["from-to", ...], "expires_in"?: "90d", "rate"?: "100/1m"}`: 201 with the
    /// token, shown this once.
    func issueKey(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let permissions = try AdminInput.permissions(try body.optionalStrings("permissions") ?? [])
        let allowlist = try AdminInput.allowlist(try body.optionalStrings("allow") ?? [])
        let seconds = try AdminInput.duration(try body.optionalString("expires_in") ?? "90d", field: "expires_in")
        let rate = try body.optionalString("rate").map { text throws(AdminError) in try AdminInput.rate(text, field: "rate") }
        let (key, token) = try await admin.issueKey(
            affiliateID: context.parameters.get("id") ?? "", permissions: permissions, allowlist: allowlist, validFor: seconds, rate: rate)
        return JSONAnswer.make(
            .created,
            [
                "key": key.displayed(now: admin.now), "token": .string(token.text),
                "notice": Self.shownOnce,
            ], context: context)
    }

    func revokeKey(_ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let id = context.parameters.get("id") ?? ""
        try await admin.revokeKey(id)
        return JSONAnswer.make(.ok, ["id": .string(id), "state": .string("revoked")], context: context)
    }

    /// `{"expires_in": "90d"}`: the key works that long from now.
    func extendKey(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let id = context.parameters.get("id") ?? ""
        let seconds = try AdminInput.duration(try AdminBody(fields: fields).string("expires_in"), field: "expires_in")
        try await admin.extendKey(id, validFor: seconds)
        return JSONAnswer.make(.ok, ["id": .string(id), "expires_in_seconds": .number(seconds)], context: context)
    }
}
