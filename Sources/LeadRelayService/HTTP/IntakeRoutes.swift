import Foundation
import HTTPTypes
import Hummingbird
import IntegrationRuntime
import LeadJSON

/// `POST /api/v1/leads` and `GET /api/v1/leads/{id}`: affiliates post leads with their API
/// key and read where each stands. A lead is on disk before it is acknowledged (202 with its
/// id); the dispatcher delivers it.
struct IntakeRoutes: Sendable {
    let store: any LeadStore
    let offers: any OfferStore
    let keys: KeyCheck
    let dispatcher: Dispatcher?
    /// The offers posted to, read from the store at most once per `cacheSeconds`.
    var offerCache = ExpiringCache<StoredOffer>(seconds: 0)
    /// The leads' stages and status histories (`GET` shows them); nil: not shown.
    var statuses: (any StatusStore)? = nil
    /// The queue of changes of delivered leads (`PATCH`, and `changes` in `GET`); nil: a
    /// PATCH answers 404.
    var changes: (any ChangeStore)? = nil
    /// Woken when a change is queued.
    var changeDispatcher: ChangeDispatcher? = nil
    /// The manifest of a loaded integration (a PATCH needs its script's `update`).
    var manifest: @Sendable (String) -> IntegrationManifest? = { _ in nil }
    /// How long the service keeps a key, its affiliate and an offer once read (docs/service.md):
    /// a revoked key, a grant taken back or a new duplicate window is in effect at most this
    /// much later.
    static let cacheSeconds = 1.0

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/api/v1/leads") { request, context in try await post(request, context) }
        router.get("/api/v1/leads/{id}") { request, context in try await get(request, context) }
        router.patch("/api/v1/leads/{id}") { request, context in try await patch(request, context) }
    }

    /// The key from `Authorization: Bearer <token>` or `X-API-Key`.
    static func token(_ request: Request) -> String? {
        if let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") {
            return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return request.headers[HTTPField.Name("X-API-Key")!]
    }

    func post(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = Date().timeIntervalSince1970
        let asked: Double?
        switch RegistrationAnswer.wait(request) {
        case .success(let seconds): asked = seconds
        case .failure(let invalid): return JSONAnswer.error(.badRequest, code: "invalid_wait", invalid.message, context: context)
        }
        let json: JSONValue
        let body: ByteBuffer
        switch await PostedBody.read(request, what: "the lead", context: context) {
        case .read(let read, let bytes): (json, body) = (read, bytes)
        case .refused(let refusal): return refusal
        }
        let lead: IntakeLead
        switch IntakeLead.read(json) {
        case .lead(let read): lead = read
        case .problems(let problems):
            let list = JSONValue.array(
                problems.map {
                    .object(["field": .string($0.field), "code": .string($0.code), "message": .string($0.message)])
                })
            return JSONAnswer.error(
                .unprocessableContent, code: "invalid_lead", "the lead has invalid fields", context: context,
                extra: ["fields": list])
        }
        let access = try await keys.authorize(
            token: Self.token(request), address: context.clientAddress ?? "",
            needs: .createLeads, offer: lead.offerID, now: now)
        let affiliate: Affiliate
        switch access {
        case .success(let granted): affiliate = granted
        case .failure(let refusal): return Self.refused(refusal, context)
        }
        let offers = self.offers
        guard
            let offer = try await offerCache.value(
                lead.offerID, now: now, load: { () async throws(StoreError) in try await offers.offer(id: lead.offerID) })
        else {
            return JSONAnswer.error(
                .forbidden, code: "forbidden", "offer \(lead.offerID) is not granted to this affiliate", context: context)
        }
        let wait = RegistrationAnswer.effectiveWait(asked: asked, offer: offer)
        let keys = lead.duplicateKeys
        var stored = NewLead(
            offerID: lead.offerID, affiliateID: affiliate.id, fields: .object(lead.fields),
            duplicateEmail: keys.email, duplicatePhone: keys.phone, receivedAt: now)
        if wait != nil { stored.action = .register }
        if let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty {
            stored.idempotency = .init(key: key, bodyDigest: SHA256Hex.of(body.readableBytesView))
        }
        // Checked by the store inside the insert's transaction, so concurrent posts of one
        // address cannot all pass.
        if let window = offer.duplicateWindow { stored.duplicateSince = now - window }
        switch try await store.insert(stored) {
        case .inserted(let inserted), .replayed(let inserted):
            if case .pending = inserted.state { dispatcher?.poke() }
            if let wait, let answer = await registered(inserted, within: wait, context: context) { return answer }
            var answer: [String: JSONValue] = ["id": .string(inserted.id), "state": .string(Self.word(inserted.state))]
            if let reason = inserted.outcome?.reason { answer["reason"] = .string(reason.rawValue) }
            return JSONAnswer.make(.accepted, answer, context: context)
        case .keyReused:
            return JSONAnswer.error(
                .conflict, code: "idempotency_key_reused", "this Idempotency-Key came before with another body", context: context)
        }
    }

    /// A synchronous registration's answer once `lead` is final (at once when it is, such as
    /// a duplicate refused at intake), or nil when `seconds` ran out first (the post is then
    /// answered 202 with the id, as an asynchronous one).
    func registered(_ lead: StoredLead, within seconds: Double, context: ServiceRequestContext) async -> Response? {
        if lead.state.isFinal { return RegistrationAnswer.make(lead, context: context) }
        guard let dispatcher, await dispatcher.waitForFinal(lead.id, seconds: seconds),
            let final = try? await store.lead(id: lead.id), final.state.isFinal
        else { return nil }
        return RegistrationAnswer.make(final, context: context)
    }

    func get(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let now = Date().timeIntervalSince1970
        let access = try await keys.authorize(token: Self.token(request), address: context.clientAddress ?? "", needs: .readLeads, now: now)
        let affiliate: Affiliate
        switch access {
        case .success(let granted): affiliate = granted
        case .failure(let refusal): return Self.refused(refusal, context)
        }
        // Another affiliate's lead answers as a missing one: ids do not leak.
        guard let id = context.parameters.get("id"), let lead = try await store.lead(id: id), lead.affiliateID == affiliate.id else {
            return JSONAnswer.error(.notFound, code: "not_found", "no such lead", context: context)
        }
        var body: [String: JSONValue] = [
            "id": .string(lead.id), "offer_id": .string(lead.offerID), "state": .string(Self.word(lead.state)),
        ]
        if let outcome = lead.outcome {
            // A neutral answer: the buyer's own wording and the route stay with the service.
            body["outcome"] = .string(outcome.kind.rawValue)
            if let reason = outcome.reason { body["reason"] = .string(reason.rawValue) }
            if let redirect = outcome.redirectURL { body["auto_login_url"] = .string(redirect) }
        }
        if let statuses { body.merge(try await Self.stage(of: lead.id, in: statuses)) { a, _ in a } }
        if let changes { body["changes"] = Self.changesJSON(try await changes.changes(leadID: lead.id)) }
        return JSONAnswer.make(.ok, body, context: context)
    }

    /// 401 or 403, the same message for every kind of unknown key.
    static func refused(_ refusal: AccessRefusal, _ context: ServiceRequestContext) -> Response {
        if case .rateLimited(let seconds) = refusal {
            let wait = Int(seconds.rounded(.up))
            var answer = JSONAnswer.error(
                .tooManyRequests, code: "rate_limited", refusal.message, context: context, extra: ["retry_after": .integer(Int64(wait))])
            answer.headers[.retryAfter] = String(wait)
            return answer
        }
        return JSONAnswer.error(
            .init(code: refusal.status), code: refusal.status == 401 ? "unauthorized" : "forbidden", refusal.message,
            context: context)
    }

    static func word(_ state: DeliveryState) -> String {
        switch state {
        case .pending: return "pending"
        case .sending: return "sending"
        case .retry: return "retry"
        case .accepted: return "accepted"
        case .rejected: return "rejected"
        case .error: return "error"
        }
    }
}
