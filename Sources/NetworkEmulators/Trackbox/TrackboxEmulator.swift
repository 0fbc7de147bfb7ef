import LeadJSON

/// Trackbox signup and pull API, under `/trackbox`:
///
///     POST /trackbox/api/signup/procform   headers x-trackbox-username, x-trackbox-password,
///                                          x-api-key (push key); JSON body
///     POST /trackbox/api/pull/customers    same headers with the pull key; {from, to, type, page}
///
/// Trackbox answers HTTP 200 (Content-Type text/html, as real boxes do) to everything it
/// understands; the verdict is `status: true|false` in the body, with `code` 401 for
/// refused credentials. Not among the seeds: the request shapes follow Trackbox's public
/// "Push Leads (Registration method)" page; answers, the pull API and the blocked-country
/// rule (the country of `userip`, see `TrackboxGeo`) are assumptions that mirror the
/// script and its fixtures (docs/emulators.md lists which is which).
public struct TrackboxEmulator: NetworkEmulator {
    public let network = EmulatedNetwork.trackbox
    let context: EmulatorContext
    /// Customers per pull page.
    let pageLimit: Int

    public init(context: EmulatorContext, pageLimit: Int = 500) {
        self.context = context
        self.pageLimit = max(1, pageLimit)
    }

    static func answer(_ value: [String: JSONValue]) -> EmulatorResponse {
        .json(200, .object(value), contentType: "text/html; charset=UTF-8")
    }

    static func refused(_ message: String, code: Int64? = nil) -> EmulatorResponse {
        var body: [String: JSONValue] = ["status": .bool(false), "message": .string(message)]
        if let code { body["code"] = .integer(code) }
        return answer(body)
    }

    public func handle(_ request: EmulatorRequest) -> EmulatorResponse {
        if let page = autologinPage(request, store: context.store) { return page }
        switch (request.method, request.path) {
        case ("POST", "/api/signup/procform"):
            return authorized(request, key: context.credentials.trackboxAPIKey, refusal: "Invalid API key")
                ?? signup(request)
        case ("POST", "/api/pull/customers"):
            return authorized(
                request, key: context.credentials.trackboxPullAPIKey,
                refusal: "Cant Pull Data, please contact support with caseID: 99")
                ?? pull(request)
        default:
            return .text(404, "Not Found")
        }
    }

    private func authorized(_ request: EmulatorRequest, key: String, refusal: String) -> EmulatorResponse? {
        let credentials = context.credentials
        if request.header("x-trackbox-username") != credentials.trackboxUsername
            || request.header("x-trackbox-password") != credentials.trackboxPassword
        {
            return Self.refused("User and password doesnt match, please supply support with case ID: 5f2a", code: 401)
        }
        if request.header("x-api-key") != key { return Self.refused(refusal, code: 401) }
        return nil
    }

    private func signup(_ request: EmulatorRequest) -> EmulatorResponse {
        guard let body = request.jsonObject else { return Self.answer(["status": .bool(false), "data": "Invalid request body"]) }
        let fields = EmulatorFormat.scalars(body)
        for name in ["ai", "gi", "userip", "firstname", "lastname", "email", "password", "phone"]
        where (fields[name] ?? "").trimmingSpaces().isEmpty {
            return Self.answer(["status": .bool(false), "data": .string("\(name) is required")])
        }
        let phone = fields["phone"] ?? ""
        if !(7...15).contains(phone.count) || !phone.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return Self.answer(["status": .bool(false), "data": "Invalid phone number"])
        }
        if let country = TrackboxGeo.country(of: fields["userip"] ?? ""),
            context.configuration.blockedCountries.contains(country)
        {
            return Self.answer(["status": .bool(false), "data": .string("Country \(country) is not allowed for this campaign")])
        }
        let id = String(context.store.nextNumber(), radix: 16) + "a5b"
        let email = fields["email"] ?? ""
        switch context.store.register(network: network, id: id, key: email, fields: fields, at: context.now()) {
        case .failure:
            return Self.answer(["status": .bool(false), "data": "Email already exists in the system"])
        case .success:
            let url = context.autologinURL(network, id: id, request: request)
            return Self.answer([
                "status": .bool(true), "data": .string(url),
                "addonData": .object(["status": .bool(true), "data": .object(["uniqueid": .string(id), "loginURL": .string(url)])]),
            ])
        }
    }

    private func pull(_ request: EmulatorRequest) -> EmulatorResponse {
        guard let body = request.jsonObject else { return Self.refused("Invalid request body") }
        let fields = EmulatorFormat.scalars(body)
        guard let fromText = fields["from"], let toText = fields["to"],
            let from = EmulatorFormat.parseDate(fromText), let to = EmulatorFormat.parseDate(toText, endOfDay: true)
        else {
            return Self.refused("from and to are required, as yyyy-mm-dd hh:mm:ss")
        }
        let type = fields["type"] ?? "3"
        guard ["2", "3", "4"].contains(type) else { return Self.refused("type must be 2, 3 or 4") }
        let page = max(1, Int(fields["page"] ?? "1") ?? 1)
        let now = context.now()
        let customers = context.store.leads(network, createdFrom: from, to: to).filter { lead in
            let depositor = lead.depositedAt(now) != nil
            return type == "3" || (type == "4" ? depositor : !depositor)
        }
        let lastPage = max(1, (customers.count + pageLimit - 1) / pageLimit)
        let slice = customers.dropFirst((page - 1) * pageLimit).prefix(pageLimit)
        return Self.answer([
            "status": .bool(true),
            "data": .array(slice.map { TrackboxCustomerView(lead: $0, now: now).json }),
            "meta": .object([
                "limit": .integer(Int64(pageLimit)), "count": .integer(Int64(slice.count)),
                "total": .integer(Int64(customers.count)), "currentPage": .integer(Int64(page)),
                "lastPage": .integer(Int64(lastPage)), "prevUrl": .null, "nextUrl": .null,
            ]),
        ])
    }
}
