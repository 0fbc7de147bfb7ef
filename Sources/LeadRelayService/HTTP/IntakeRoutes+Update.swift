import Foundation
import HTTPTypes
import Hummingbird
import IntegrationRuntime
import LeadJSON

extension IntakeRoutes {
    /// `PATCH /api/v1/leads/{id}`: an affiliate changes a lead a route accepted (the
    /// contract's `update` action). The change is validated as a posted lead's fields, queued
    /// on disk with the lead's fields merged, and answered 202 with its id; the change
    /// dispatcher sends it to the route that accepted the lead. Refusals never name the
    /// route, integration or buyer.
    func patch(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = Date().timeIntervalSince1970
        let access = try await keys.authorize(
            token: Self.token(request), address: context.clientAddress ?? "", needs: .createLeads, now: now)
        let affiliate: Affiliate
        switch access {
        case .success(let granted): affiliate = granted
        case .failure(let refusal): return Self.refused(refusal, context)
        }
        guard let changes, let id = context.parameters.get("id"), let lead = try await store.lead(id: id),
            lead.affiliateID == affiliate.id
        else { return JSONAnswer.error(.notFound, code: "not_found", "no such lead", context: context) }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let isForm = contentType.hasPrefix("application/x-www-form-urlencoded")
        guard contentType.hasPrefix("application/json") || isForm else {
            return JSONAnswer.error(
                .unsupportedMediaType, code: "unsupported_media_type",
                "send the change as application/json or application/x-www-form-urlencoded", context: context)
        }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: Self.maxBodyBytes) } catch {
            return JSONAnswer.error(.contentTooLarge, code: "too_large", "the body is larger than 64 KiB", context: context)
        }
        let parsed = isForm ? FormBody.read(body.readableBytesView) : try? JSONValue.parse(Array(body.readableBytesView))
        guard let json = parsed else {
            return isForm
                ? JSONAnswer.error(.badRequest, code: "invalid_form", "the body is not valid form encoding", context: context)
                : JSONAnswer.error(.badRequest, code: "invalid_json", "the body is not valid JSON", context: context)
        }
        let fields: [String: JSONValue]
        switch IntakeLead.readChange(json) {
        case .success(let read): fields = read
        case .failure(let problems):
            let list = JSONValue.array(
                problems.list.map { .object(["field": .string($0.field), "code": .string($0.code), "message": .string($0.message)]) })
            return JSONAnswer.error(
                .unprocessableContent, code: "invalid_lead", "the change has invalid fields", context: context, extra: ["fields": list])
        }
        guard let accepted = try await changes.acceptance(leadID: lead.id) else { return Self.notDelivered(context) }
        guard let route = try await offers.route(id: accepted.routeID), manifest(route.integration)?.supports(.update) == true else {
            return JSONAnswer.error(.conflict, code: "update_not_supported", "this lead cannot be updated", context: context)
        }
        var update = NewUpdate(leadID: lead.id, fields: fields, receivedAt: now)
        if let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty {
            update.idempotency = .init(key: key, bodyDigest: SHA256Hex.of(body.readableBytesView))
        }
        switch try await changes.queueUpdate(update) {
        case .queued(let change), .replayed(let change):
            changeDispatcher?.poke()
            return JSONAnswer.make(
                .accepted, ["id": .string(lead.id), "change_id": .string(change.id), "state": .string(Self.word(change.state))],
                context: context)
        case .keyReused:
            return JSONAnswer.error(
                .conflict, code: "idempotency_key_reused", "this Idempotency-Key came before with another body", context: context)
        case .notDelivered:
            return Self.notDelivered(context)
        }
    }

    static func notDelivered(_ context: ServiceRequestContext) -> Response {
        JSONAnswer.error(
            .conflict, code: "not_delivered", "the lead has not been accepted by the network yet; only a delivered lead can be updated",
            context: context)
    }

    /// The lead's changes for `GET /api/v1/leads/{id}`, neutrally: never the route, the
    /// integration or the buyer's own words.
    static func changesJSON(_ changes: [StoredChange]) -> JSONValue {
        .array(
            changes.map { change in
                .object([
                    "id": .string(change.id), "action": .string(change.action.rawValue), "state": .string(word(change.state)),
                    "outcome": change.outcome.map { .string($0.kind.rawValue) } ?? .null,
                    "reason": change.outcome?.reason.map { .string($0.rawValue) } ?? .null,
                    "message": neutralMessage(change).map(JSONValue.string) ?? .null,
                    "created_at": .string(ISO8601.format(Int64(change.createdAt))),
                    "updated_at": .string(ISO8601.format(Int64(change.updatedAt))),
                ])
            })
    }

    /// What an affiliate reads about a change, per state.
    static func neutralMessage(_ change: StoredChange) -> String? {
        switch change.state {
        case .pending, .sending: return nil
        case .retry: return "the change will be sent again"
        case .accepted: return "the change was delivered"
        case .rejected: return "the change was not accepted: " + RegistrationAnswer.neutral(change.outcome?.reason)
        case .error: return "the change could not be delivered now; it is kept and will be sent again"
        }
    }
}
