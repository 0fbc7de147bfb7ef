import Foundation
import HTTPTypes
import Hummingbird
import LeadJSON

/// The admin API under `/api/v1/admin/`: offers and their routes (routes checked against
/// the script's manifest), affiliates and their keys, employees and their keys, key
/// revocation and expiry. Each
/// request carries an employee key (`Authorization: Bearer` or `X-API-Key`, as the intake)
/// whose role has the right: 401 for a missing, unknown, expired or revoked key (an
/// affiliate's key is unknown here), 403 for an address off its allowlist or a role
/// without the right. Answers and refusals are JSON in the intake's shape (`JSONAnswer`).
///
///     AdminRoutes(store: store, routes: RouteSetup(directory: integrations)).register(on: router)
public struct AdminRoutes: Sendable {
    let admin: Administration
    let employees: EmployeeCheck
    let redelivery: Redelivery
    static let maxBodyBytes = 64 * 1024

    public init(store: any Administration.Store & LeadStore, routes: RouteSetup) {
        admin = Administration(store: store, routes: routes)
        employees = EmployeeCheck(store: store)
        redelivery = Redelivery(store: store)
    }

    public func register(on router: Router<ServiceRequestContext>) {
        let base = "/api/v1/admin"
        router.post("\(base)/redeliver") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await redeliver(body, context) }
        }
        router.get("\(base)/offers") { request, context in
            try await acting(.offers, request, context) { _ throws(AdminError) in try await listOffers(context) }
        }
        router.post("\(base)/offers") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await createOffer(body, context) }
        }
        router.get("\(base)/offers/{id}/routes") { request, context in
            try await acting(.offers, request, context) { _ throws(AdminError) in try await listRoutes(context) }
        }
        router.post("\(base)/offers/{id}/routes") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await addRoute(body, context) }
        }
        router.patch("\(base)/routes/{id}") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await changeRoute(body, context) }
        }
        router.delete("\(base)/routes/{id}") { request, context in
            try await acting(.offers, request, context) { _ throws(AdminError) in try await removeRoute(context) }
        }
        router.get("\(base)/affiliates") { request, context in
            try await acting(.affiliates, request, context) { _ throws(AdminError) in try await listAffiliates(context) }
        }
        router.post("\(base)/affiliates") { request, context in
            try await acting(.affiliates, request, context) { body throws(AdminError) in try await createAffiliate(body, context) }
        }
        router.get("\(base)/affiliates/{id}/keys") { request, context in
            try await acting(.affiliates, request, context) { _ throws(AdminError) in try await listKeys(context) }
        }
        router.post("\(base)/affiliates/{id}/keys") { request, context in
            try await acting(.affiliates, request, context) { body throws(AdminError) in try await issueKey(body, context) }
        }
        router.get("\(base)/employees") { request, context in
            try await acting(.employees, request, context) { _ throws(AdminError) in try await listEmployees(context) }
        }
        router.post("\(base)/employees") { request, context in
            try await acting(.employees, request, context) { body throws(AdminError) in try await createEmployee(body, context) }
        }
        router.post("\(base)/employees/{id}/keys") { request, context in
            try await acting(.employees, request, context) { body throws(AdminError) in try await issueEmployeeKey(body, context) }
        }
        // An employee's key (`ekey_`) needs the right over employees; an affiliate's, over affiliates.
        router.post("\(base)/keys/{id}/revoke") { request, context in
            try await acting(Self.right(forKey: context), request, context) { _ throws(AdminError) in try await revokeKey(context) }
        }
        router.post("\(base)/keys/{id}/extend") { request, context in
            try await acting(Self.right(forKey: context), request, context) { body throws(AdminError) in
                try await extendKey(body, context)
            }
        }
    }

    static func right(forKey context: ServiceRequestContext) -> AdminRight {
        (context.parameters.get("id") ?? "").hasPrefix(EmployeeKey.idPrefix) ? .employees : .affiliates
    }

    /// Authorizes the request's employee key for `right`, reads its JSON body (an empty
    /// body is `{}`), runs `work` and turns an `AdminError` into its JSON refusal.
    func acting(
        _ right: AdminRight, _ request: Request, _ context: ServiceRequestContext,
        _ work: ([String: JSONValue]) async throws(AdminError) -> Response
    ) async throws -> Response {
        let access = try await employees.authorize(
            token: IntakeRoutes.token(request), address: context.clientAddress ?? "", needs: right, now: admin.now)
        if case .failure(let refusal) = access { return IntakeRoutes.refused(refusal, context) }
        var request = request
        let bytes: ByteBuffer
        do { bytes = try await request.collectBody(upTo: Self.maxBodyBytes) } catch {
            return JSONAnswer.error(.contentTooLarge, code: "too_large", "the body is larger than 64 KiB", context: context)
        }
        var body: [String: JSONValue] = [:]
        if bytes.readableBytes > 0 {
            guard let object = (try? JSONValue.parse(Array(bytes.readableBytesView)))?.objectValue else {
                return JSONAnswer.error(.badRequest, code: "invalid_json", "the body is not a JSON object", context: context)
            }
            body = object
        }
        do { return try await work(body) } catch { return Self.refusal(error, context) }
    }

    /// `{"integration"?, "offer_id"?, "from"?, "to"? (ISO 8601 or a UTC day), "dry_run"?}`:
    /// the held leads named, due again (or only listed).
    func redeliver(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let from = try body.optionalString("from").map { text throws(AdminError) in try Redelivery.time(text, field: "from") }
        let to = try body.optionalString("to").map { text throws(AdminError) in try Redelivery.time(text, field: "to") }
        let which = HeldLeads(
            integration: try body.optionalString("integration"), offerID: try body.optionalString("offer_id"), from: from, to: to)
        let dryRun = try body.optionalBool("dry_run") ?? false
        let ids = try await redelivery.run(which, dryRun: dryRun)
        return JSONAnswer.make(.ok, Redelivery.json(ids, dryRun: dryRun).objectValue ?? [:], context: context)
    }

    /// An `AdminError` as JSON: 404, 409, 422 (a route's bad parameters each named in
    /// `params`), 503.
    static func refusal(_ error: AdminError, _ context: ServiceRequestContext) -> Response {
        switch error {
        case .notFound(let detail): return JSONAnswer.error(.notFound, code: "not_found", detail, context: context)
        case .exists(let detail): return JSONAnswer.error(.conflict, code: "exists", detail, context: context)
        case .invalid(let field, let detail):
            return JSONAnswer.error(
                .unprocessableContent, code: "invalid", "\(field): \(detail)", context: context, extra: ["field": .string(field)])
        case .route(.invalidParameters(let integration, let problems)):
            let list = JSONValue.array(
                problems.map { .object(["param": .string($0.name), "code": .string($0.code), "message": .string($0.description)]) })
            return JSONAnswer.error(
                .unprocessableContent, code: "invalid_params", "the parameters do not fit integration \(integration)",
                context: context, extra: ["params": list])
        case .route(let other): return JSONAnswer.error(.unprocessableContent, code: "invalid_route", other.description, context: context)
        case .store(let detail):
            return JSONAnswer.error(.serviceUnavailable, code: "store_unavailable", detail.description, context: context)
        }
    }
}
