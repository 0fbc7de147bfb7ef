import Foundation
import HTTPTypes
import Hummingbird
import IntegrationRuntime
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
    let testCall: TestCall
    /// Called after every change the admin API made (the intake's kept keys and offers are
    /// then read again at once).
    let changed: @Sendable () -> Void
    static let maxBodyBytes = 64 * 1024

    /// - Parameter scripts: the integrations the test window runs (nil: it refuses).
    /// - Parameter postbackPorts: the ports affiliates' postback URLs may use (`egress.postbacks.ports`).
    public init(
        store: any Administration.Store & LeadStore & ChangeStore & TestLeadStore, routes: RouteSetup, scripts: IntegrationDirectory? = nil,
        postbackPorts: [Int] = [80, 443], changed: @escaping @Sendable () -> Void = {}
    ) {
        self.changed = changed
        var admin = Administration(store: store, routes: routes)
        admin.postbackPorts = postbackPorts
        self.admin = admin
        employees = EmployeeCheck(store: store)
        redelivery = Redelivery(store: store)
        testCall = TestCall(store: store, scripts: scripts, leads: store)
    }

    public func register(on router: Router<ServiceRequestContext>) {
        let base = "/api/v1/admin"
        router.post("/api/v1/offers/{id}/test") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await test(body, context) }
        }
        router.post("\(base)/redeliver") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await redeliver(body, context) }
        }
        router.get("\(base)/offers") { request, context in
            try await acting(.offers, request, context) { _ throws(AdminError) in try await listOffers(context) }
        }
        router.post("\(base)/offers") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await createOffer(body, context) }
        }
        router.patch("\(base)/offers/{id}") { request, context in
            try await acting(.offers, request, context) { body throws(AdminError) in try await changeOffer(body, context) }
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
        do {
            let response = try await work(body)
            if request.method != .get, response.status.code < 400 { changed() }
            return response
        } catch {
            return Self.refusal(error, context)
        }
    }

    /// `{"lead": {...}, "mode"?: "dry"|"live", "route_id"?, "action"?: "push"|"register"}`:
    /// the test window's call (`TestCall`); 422 naming each bad lead field.
    func test(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let offerID = context.parameters.get("id") ?? ""
        guard var lead = fields["lead"]?.objectValue else {
            throw .invalid(field: "lead", detail: "is required: the lead's fields as an object")
        }
        lead["offer_id"] = .string(offerID)
        let read: IntakeLead
        switch IntakeLead.read(.object(lead)) {
        case .lead(let lead): read = lead
        case .problems(let problems):
            throw .invalid(field: "lead", detail: problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
        }
        let modeText = try body.optionalString("mode") ?? "dry"
        guard let mode = TestCall.Mode(rawValue: modeText) else { throw .invalid(field: "mode", detail: "is dry or live, not \(modeText)") }
        let actionText = try body.optionalString("action") ?? "push"
        guard let action = Action(rawValue: actionText), action == .push || action == .register else {
            throw .invalid(field: "action", detail: "is push or register, not \(actionText)")
        }
        let routeID = try body.optionalInt("route_id").map(Int64.init)
        let answer = try await testCall.run(offerID: offerID, lead: read.fields, routeID: routeID, action: action, mode: mode)
        return JSONAnswer.make(.ok, answer.objectValue ?? [:], context: context)
    }

    /// `{"integration"?, "offer_id"?, "from"?, "to"? (ISO 8601 or a UTC day), "dry_run"?}`:
    /// the held leads and held changes named, due again (or only listed).
    func redeliver(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let from = try body.optionalString("from").map { text throws(AdminError) in try Redelivery.time(text, field: "from") }
        let to = try body.optionalString("to").map { text throws(AdminError) in try Redelivery.time(text, field: "to") }
        let which = HeldLeads(
            integration: try body.optionalString("integration"), offerID: try body.optionalString("offer_id"), from: from, to: to)
        let dryRun = try body.optionalBool("dry_run") ?? false
        let named = try await redelivery.run(which, dryRun: dryRun)
        return JSONAnswer.make(.ok, Redelivery.json(named, dryRun: dryRun).objectValue ?? [:], context: context)
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
