import Hummingbird
import IntegrationRuntime
import LeadJSON

/// The admin API of affiliate postbacks (right: affiliates):
///
/// - `PUT /api/v1/admin/affiliates/{id}/postback` `{"postback_url": "..." | null}`: set or
///   remove the template (422 naming `postback_url` when it is refused);
/// - `GET /api/v1/admin/affiliates/{id}/postbacks[?limit=50]`: the template, how many
///   postbacks wait, and the recent calls, newest first (at most 500);
/// - `POST /api/v1/admin/affiliates/{id}/postbacks/test` `{"sub_id"?, "click_id"?}`: one
///   test call now, answered with the call as recorded.
extension AdminRoutes {
    func registerPostbacks(on router: Router<ServiceRequestContext>, sender: AffiliatePostbackSender?, store: any AffiliatePostbackStore) {
        let base = "/api/v1/admin/affiliates/{id}"
        router.put("\(base)/postback") { request, context in
            try await acting(.affiliates, request, context) { body throws(AdminError) in
                let text = try AdminBody(fields: body).optionalString("postback_url")
                let affiliate = try await admin.setPostbackURL(affiliateID: context.parameters.get("id") ?? "", template: text)
                return JSONAnswer.make(.ok, ["affiliate": affiliate.displayed], context: context)
            }
        }
        router.get("\(base)/postbacks") { request, context in
            let limitText = request.uri.queryParameters.get("limit")
            return try await acting(.affiliates, request, context) { _ throws(AdminError) in
                let affiliate = try await admin.affiliate(context.parameters.get("id") ?? "")
                guard let limit = limitText.map({ Int($0) }) ?? 50, (1...500).contains(limit) else {
                    throw .invalid(field: "limit", detail: "is a number of calls from 1 to 500")
                }
                let (calls, waiting) = try await admin.stored { () async throws(StoreError) in
                    (
                        try await store.postbackCalls(affiliateID: affiliate.id, limit: limit),
                        try await store.waitingPostbacks(affiliateID: affiliate.id)
                    )
                }
                return JSONAnswer.make(
                    .ok,
                    [
                        "affiliate_id": .string(affiliate.id), "postback_url": affiliate.postbackURL.map(JSONValue.string) ?? .null,
                        "waiting": .integer(Int64(waiting)), "calls": .array(calls.map(\.displayed)),
                    ], context: context)
            }
        }
        router.post("\(base)/postbacks/test") { request, context in
            try await acting(.affiliates, request, context) { body throws(AdminError) in
                guard let sender else {
                    throw .store(.unavailable("affiliate postbacks are not sent by this server"))
                }
                let fields = AdminBody(fields: body)
                let call = try await sender.test(
                    affiliateID: context.parameters.get("id") ?? "", subID: try fields.optionalString("sub_id"),
                    clickID: try fields.optionalString("click_id"))
                return JSONAnswer.make(.ok, ["call": call.displayed], context: context)
            }
        }
    }
}

extension PostbackCall {
    /// As the admin API and the CLI show it: the URL masked, never a body.
    public var displayed: JSONValue {
        .object([
            "event": .string(event), "lead_id": leadID.map(JSONValue.string) ?? .null, "attempt": .integer(Int64(attempt)),
            "url": .string(url), "status": .integer(Int64(status)), "elapsed": .number(elapsed),
            "error": error.map(JSONValue.string) ?? .null, "result": .string(result.rawValue),
            "at": .string(ISO8601.format(Int64(at))),
        ])
    }
}
