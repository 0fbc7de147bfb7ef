import LeadJSON

/// Clixnow "Create a Lead via API" and "Monitoring data" (seed 003), under `/clixnow`:
///
///     POST /clixnow/api/system/v1/leads          Authorization: ApiToken <token>
///     GET  /clixnow/api/system/v1/leads/search   id | createdOnFrom/To | modifiedOnFrom/To,
///                                                orderBy, count (default 10, max 1000), skip
///
/// 401 `{"message":"Invalid token"}` for a missing or wrong token, 415 text for a
/// Content-Type other than JSON (or an Accept that excludes it), 400 `{"errors":{...}}`
/// for missing fields and the password rule (8 characters and a special one), 400
/// `{"message":"Lead with email ... already exists"}` for a known email, 403 naming the
/// country for a blocked one (seed 003: 403 is also "certain item is unavailable for some
/// reason"). Success is 200 with leadId, redirectUrl, an integer crmId (the seed's model)
/// and the echoed sub fields. docs/emulators.md says which rules come from the seed and which
/// are assumptions.
public struct ClixnowEmulator: NetworkEmulator {
    public let network = EmulatedNetwork.clixnow
    let context: EmulatorContext
    static let root = "/api/system/v1"

    public init(context: EmulatorContext) {
        self.context = context
    }

    public func handle(_ request: EmulatorRequest) -> EmulatorResponse {
        if let page = autologinPage(request, store: context.store) { return page }
        let route = (request.method, request.path)
        switch route {
        case ("POST", Self.root + "/leads"):
            return authorized(request) ?? create(request)
        case ("GET", Self.root + "/leads/search"):
            return authorized(request) ?? search(request)
        default:
            return .json(404, .object(["message": .string("Not found: \(request.method) \(request.path)")]))
        }
    }

    /// nil when the ApiToken matches, else the 401 answer.
    private func authorized(_ request: EmulatorRequest) -> EmulatorResponse? {
        let expected = "ApiToken " + context.credentials.clixnowToken
        if request.header("Authorization") == expected { return nil }
        return .json(401, .object(["message": .string("Invalid token")]))
    }

    private func acceptsJSON(_ request: EmulatorRequest) -> Bool {
        guard let accept = request.header("Accept")?.lowercased() else { return true }
        return accept.contains("application/json") || accept.contains("*/*") || accept.contains("application/*")
    }

    private func create(_ request: EmulatorRequest) -> EmulatorResponse {
        guard request.mediaType == "application/json", acceptsJSON(request) else {
            return .text(415, "Unsupported Media Type")
        }
        guard let body = request.jsonObject else {
            return Self.validation(["body": ["The request body must be a JSON object."]])
        }
        let fields = EmulatorFormat.scalars(body)
        if let problems = ClixnowValidation.problems(fields) { return Self.validation(problems) }
        let country = (fields["countryCode"] ?? "").uppercased()
        if context.configuration.blockedCountries.contains(country) {
            return .json(403, .object(["message": .string("Affiliate is not allowed to create leads for country \(country)")]))
        }
        let number = context.store.nextNumber()
        let id = String(number)
        let email = fields["email"] ?? ""
        switch context.store.register(network: network, id: id, key: email, fields: fields, at: context.now()) {
        case .failure:
            return .json(400, .object(["message": .string("Lead with email \(email) already exists")]))
        case .success:
            var answer: [String: JSONValue] = [
                "leadId": .integer(Int64(number)),
                "redirectUrl": .string(context.autologinURL(network, id: id, request: request)),
                "crmId": .integer(ClixnowLeadView.crmID(number)),
            ]
            for key in ["subCampaign", "placement", "keyword", "sub2", "clickId"] {
                if let value = fields[key] { answer[key] = .string(value) }
            }
            return .json(200, .object(answer))
        }
    }

    private func search(_ request: EmulatorRequest) -> EmulatorResponse {
        let q = request.query
        var problems: [String: [String]] = [:]
        let count = Int(q["count"] ?? "10")
        let skip = Int(q["skip"] ?? "0")
        if count == nil || count! < 1 || count! > 1000 { problems["count"] = ["count must be between 1 and 1000."] }
        if skip == nil || skip! < 0 { problems["skip"] = ["skip must be 0 or more."] }
        let orderBy = q["orderBy"] ?? "Id"
        if !["Id", "CreatedOn", "ModifiedOn", "FtdDate"].contains(orderBy) {
            problems["orderBy"] = ["orderBy must be one of ModifiedOn, CreatedOn, FtdDate, Id."]
        }
        var ranges: [(String, Double?, Double?)] = []
        for name in ["createdOn", "modifiedOn", "ftdDate"] {
            let from = q[name + "From"]
            let to = q[name + "To"]
            let fromDate = from.flatMap { EmulatorFormat.parseDate($0) }
            let toDate = to.flatMap { EmulatorFormat.parseDate($0, endOfDay: true) }
            if (from != nil && fromDate == nil) || (to != nil && toDate == nil) {
                problems[name] = ["\(name)From/\(name)To must be date-times in UTC."]
            }
            if from != nil || to != nil { ranges.append((name, fromDate, toDate)) }
        }
        if !problems.isEmpty { return Self.validation(problems) }

        let now = context.now()
        var leads = context.store.leads(network)
        if let id = q["id"] { leads = leads.filter { $0.id == id } }
        let views = leads.map { ClixnowLeadView(lead: $0, now: now) }.filter { view in
            ranges.allSatisfy { name, from, to in
                guard let value = view.date(name) else { return false }
                return (from.map { value >= $0 } ?? true) && (to.map { value <= $0 } ?? true)
            }
        }
        let sorted = views.sorted { a, b in
            let ka = a.sortKey(orderBy)
            let kb = b.sortKey(orderBy)
            return ka == kb ? a.number < b.number : ka < kb
        }
        let page = sorted.dropFirst(skip!).prefix(count!)
        return .json(200, .array(page.map(\.json)))
    }

    static func validation(_ problems: [String: [String]]) -> EmulatorResponse {
        let errors = problems.mapValues { JSONValue.array($0.map(JSONValue.string)) }
        return .json(400, .object(["errors": .object(errors)]))
    }
}
