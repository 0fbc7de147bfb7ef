/// IREV Lead Distribution Affiliate API v2 (seed 004), under `/irev`:
///
///     POST /irev/api/affiliates/v2/leads        push a lead (Authorization: <raw token>)
///     GET  /irev/api/affiliates/v2/leads        created_from, created_to, page, per_page (max 100)
///     GET  /irev/api/affiliates/v2/goal-types
///
/// Documented behaviours: 401 ERROR_AUTHORIZATION ("Unauthorized" without a token,
/// "Token isn't active" with a wrong one), 404 NOT_FOUND, 410 NOT_SUPPORTED for other
/// API versions, 415 for a non-JSON body, 422 FIXABLE_INPUT without `ip` or with a bad
/// country_code, 400 BLOCK_COUNTRY / DUPLICATION_ERROR, 429 past 10 GETs in 3 s or for a
/// POST body identical to one sent in the last 2 minutes, Lead Profile text values over
/// 512 characters trimmed to 512 plus `<..>`, 422 VALIDATION_ERROR for per_page > 100,
/// a `uuid` per conversion (row) of the listing, 400 ROTATION_ERROR once `irevCap` leads
/// were accepted. docs/emulators.md says which behaviours
/// the seed states and which are the sandbox's assumptions.
public struct IREVEmulator: NetworkEmulator {
    public let network = EmulatedNetwork.irev
    let context: EmulatorContext
    let guards = IREVGuardBox()
    static let textLimit = 512
    /// Fields that are not Lead Profile text items.
    static let nonText: Set<String> = ["ip", "country_code", "lead_language", "is_test"]

    public init(context: EmulatorContext) {
        self.context = context
    }

    public func handle(_ request: EmulatorRequest) -> EmulatorResponse {
        if let page = autologinPage(request, store: context.store) { return page }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "affiliates" else { return IREVErrors.notFound }
        guard parts[2] == "v2" else { return IREVErrors.notSupported(parts[2].uppercased()) }
        let token = request.header("Authorization") ?? ""
        let now = context.now()
        if request.method == "GET",
            let wait = guards.state.withLock({ $0.admitGet(token: token, at: now) })
        {
            return IREVErrors.rateLimited(retryAfter: wait)
        }
        if token.isEmpty { return IREVErrors.authorization("Unauthorized") }
        if token != context.credentials.irevToken { return IREVErrors.authorization("Token isn't active") }
        // ASSUMPTION: seed 004 lists 415 "Unsupported content type error (valid content-type
        // is \"application/json\")" for Get leads, a request without a body: the sandbox
        // reads that as the Content-Type header every request must carry.
        if request.method == "GET", request.mediaType != "application/json" { return IREVErrors.unsupportedContentTypeOnGet }
        switch (request.method, parts.dropFirst(3).joined(separator: "/")) {
        case ("POST", "leads"): return push(request, token: token, now: now)
        case ("GET", "leads"): return list(request, now: now)
        case ("GET", "goal-types"):
            return .json(200, .array(IREVGoal.allCases.map { .object(["uuid": .string($0.uuid), "name": .string($0.name)]) }))
        default: return IREVErrors.notFound
        }
    }

    private func push(_ request: EmulatorRequest, token: String, now: Double) -> EmulatorResponse {
        guard request.mediaType == "application/json" else { return IREVErrors.unsupportedContentType }
        if let wait = guards.state.withLock({ $0.admitPost(token: token, body: request.body, at: now) }) {
            return IREVErrors.rateLimited(
                retryAfter: wait, message: "Identical request body sent with this token less than 2 minutes ago")
        }
        guard let body = request.jsonObject else { return IREVErrors.fixableInput("Body must be a JSON object") }
        var fields = EmulatorFormat.scalars(body)
        // Seed 004: 400 "Invalid request body (fixable input)", FIXABLE_INPUT "Validation
        // error (e.g., first name is not specified)": a missing required field is a 400.
        guard let ip = fields["ip"], !ip.trimmingSpaces().isEmpty else {
            return IREVErrors.pushFailed("FIXABLE_INPUT", "Ip is required", leadUUID: EmulatorFormat.uuid())
        }
        if let country = fields["country_code"],
            !(country.count == 2 && country.allSatisfy { $0.isASCII && $0.isLetter })
        {
            return IREVErrors.fixableInput("Country_code must be in ISO2 format")
        }
        for (key, value) in fields where !Self.nonText.contains(key) {
            fields[key] = Self.trimmed(value)
        }
        let uuid = EmulatorFormat.uuid()
        if let country = fields["country_code"]?.uppercased(), context.configuration.blockedCountries.contains(country) {
            return IREVErrors.pushFailed("BLOCK_COUNTRY", "This country is not allowed", leadUUID: uuid)
        }
        // A slot under the cap is taken before the lead is registered (and given back when it
        // is not), so pushes at the same moment never accept more than the cap.
        if let cap = context.configuration.irevCap {
            let full = guards.capped.withLock { taken in
                guard taken < cap else { return true }
                taken += 1
                return false
            }
            if full { return IREVErrors.pushFailed("ROTATION_ERROR", "Lead was rejected: the caps are full", leadUUID: uuid) }
        }
        fields["externalId"] = String(context.store.nextNumber())
        for goal in IREVGoal.allCases { fields[goal.conversionField] = EmulatorFormat.uuid() }
        switch context.store.register(network: network, id: uuid, key: fields["email"] ?? "", fields: fields, at: now) {
        case .failure:
            if context.configuration.irevCap != nil { guards.capped.withLock { $0 -= 1 } }
            return IREVErrors.pushFailed(
                "DUPLICATION_ERROR", "A lead with the same email already exists for this advertiser", leadUUID: uuid)
        case .success:
            return .json(
                200,
                .object([
                    "lead_uuid": .string(uuid),
                    "auto_login_url": .string(context.autologinURL(network, id: uuid, request: request)),
                    "advertiser_uuid": .string(IREVGoal.advertiserUUID),
                    "advertiser_name": "Sandbox Advertiser",
                ]))
        }
    }

    /// IREV's rule for Lead Profile "Text" values: over 512 characters, cut to 512 and
    /// `<..>` appended.
    static func trimmed(_ value: String) -> String {
        value.count > textLimit ? String(value.prefix(textLimit)) + "<..>" : value
    }

    private func list(_ request: EmulatorRequest, now: Double) -> EmulatorResponse {
        let q = request.query
        let page = Int(q["page"] ?? "1")
        let perPage = Int(q["per_page"] ?? "20")
        guard let page, page >= 1 else {
            return IREVErrors.parameterValidation(
                field: "page", type: "numberMin",
                message: "The 'page' field must be greater than or equal to 1.", expected: 1, actual: q["page"] ?? "")
        }
        guard let perPage, perPage >= 1 else {
            return IREVErrors.parameterValidation(
                field: "per_page", type: "numberMin",
                message: "The 'per_page' field must be greater than or equal to 1.", expected: 1, actual: q["per_page"] ?? "")
        }
        if perPage > 100 {
            return IREVErrors.parameterValidation(
                field: "per_page", type: "numberMax",
                message: "The 'per_page' field must be less than or equal to 100.", expected: 100, actual: String(perPage))
        }
        var bounds: [Double?] = []
        for (name, endOfDay) in [("created_from", false), ("created_to", true)] {
            guard let text = q[name] else { bounds.append(nil); continue }
            guard let date = EmulatorFormat.parseDate(text, endOfDay: endOfDay) else {
                return IREVErrors.parameterValidation(
                    field: name, type: "date",
                    message: "The '\(name)' field must be a Date.", expected: "date", actual: text)
            }
            bounds.append(date)
        }
        let goalFilter = q["goal_type_uuid"]
        let testFilter = q["is_test"].map { $0 == "true" || $0 == "1" }
        let rows = context.store.leads(network).flatMap { IREVRows.rows(of: $0, now: now) }
            .filter { row in
                (bounds[0].map { row.at >= $0 } ?? true) && (bounds[1].map { row.at <= $0 } ?? true)
                    && (goalFilter.map { row.goal.uuid == $0 } ?? true)
                    && (testFilter.map { row.isTest == $0 } ?? true)
            }
            .sorted { $0.at < $1.at }
        let slice = rows.dropFirst((page - 1) * perPage).prefix(perPage)
        return .json(200, .array(slice.map(\.json)))
    }
}
