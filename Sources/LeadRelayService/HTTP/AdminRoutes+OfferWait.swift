import Hummingbird
import LeadJSON

extension AdminRoutes {
    /// `PATCH /api/v1/admin/offers/{id}` with `{"registration_wait_seconds": 0 to 60}`: how
    /// long a post to the offer without `?wait=` waits for its registration (0: asynchronous).
    func changeOffer(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        guard let wait = try AdminBody(fields: fields).optionalNumber("registration_wait_seconds") else {
            throw .invalid(field: "registration_wait_seconds", detail: "is required (seconds, 0 for asynchronous)")
        }
        let offer = try await admin.setOffer(context.parameters.get("id") ?? "", registrationWait: wait)
        return JSONAnswer.make(.ok, ["offer": offer.displayed], context: context)
    }
}
