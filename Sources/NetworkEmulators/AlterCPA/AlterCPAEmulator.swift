import LeadJSON

/// The API of an AlterCPA-based network, under `/altercpa`: the agency's calls and the
/// merchant's order call.
///
///     POST /altercpa/ext/add.json?id={user}-{key}    form: id, offer, wm, name, phone, ip, ...
///     POST /altercpa/ext/edit.json?id={user}-{key}   form: oid, then the fields to change
///     POST /altercpa/comp/add.json?id={merchant}     form: offer, name, phone, ip, ... (no id, no wm)
///     POST /altercpa/ext/list.json?id={user}-{key}   form: ids=1,2,3 | from, to (dates)
///
/// Every answer the API understands is HTTP 200 JSON with `status: "ok"` or
/// `status: "error"` and an `error` code: `key` (wrong or missing key), `offer`,
/// `nophone`/`badphone`, `noip`, `country` (blocked), `duplicate` (phone already sent),
/// `order` (edit.json: `oid` missing or unknown). Fields are read from the form and the
/// query alike, as AlterCPA does.
///
/// `comp/add.json` ("API for merchant": an order added by the company itself) validates
/// like `ext/add.json` but skips the duplicate check (a merchant may add any order) and
/// answers `{"status":"ok","id":N}` without a url. `ext/edit.json` is not documented by
/// AlterCPA: it emulates what the `altercpa` script assumes, merging the posted fields into
/// the stored lead and answering `{"status":"ok","id":oid}`. comp/add.json takes the
/// merchant's key (`altercpaMerchantKey`) and refuses the agency's with `key`; the agency
/// calls take only the agency's.
public struct AlterCPAEmulator: NetworkEmulator {
    public let network = EmulatedNetwork.altercpa
    let context: EmulatorContext

    public init(context: EmulatorContext) {
        self.context = context
    }

    static func error(_ code: String) -> EmulatorResponse {
        .json(200, .object(["status": "error", "error": .string(code)]))
    }

    public func handle(_ request: EmulatorRequest) -> EmulatorResponse {
        if let page = autologinPage(request, store: context.store) { return page }
        let routes = ["/ext/add.json", "/ext/edit.json", "/comp/add.json", "/ext/list.json"]
        // The conventions page: "Every response is HTTP 200"; `func` is "Unknown endpoint path".
        guard routes.contains(request.path) else { return Self.error("func") }
        // `id` of the query is the key; `id` of the add form is our order id.
        var fields = request.query
        fields["id"] = nil
        for (key, value) in request.form where key != "id" { fields[key] = value }
        // The merchant API takes the merchant's key, every agency call the agency's.
        let credentials = context.credentials
        let key = request.path == "/comp/add.json" ? credentials.altercpaMerchantKey : credentials.altercpaKey
        guard request.query["id"] == key else { return Self.error("key") }
        switch request.path {
        case "/ext/add.json": return add(request, order: request.form["id"], fields: fields, duplicateByPhone: true)
        case "/comp/add.json": return add(request, order: nil, fields: fields, duplicateByPhone: false)
        case "/ext/edit.json": return edit(fields)
        default: return list(fields)
        }
    }

    /// The error of an unusable phone (`nophone`, `badphone`), or nil.
    private func phoneError(_ phone: String?) -> EmulatorResponse? {
        guard let phone, !phone.isEmpty else { return Self.error("nophone") }
        guard (7...15).contains(phone.count), phone.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return Self.error("badphone")
        }
        return nil
    }

    /// ext/add.json (an agency's lead, one per phone) and comp/add.json (a merchant's
    /// order, no duplicate check; answered without a url).
    private func add(_ request: EmulatorRequest, order: String?, fields: [String: String], duplicateByPhone: Bool) -> EmulatorResponse {
        guard let offer = fields["offer"], Int(offer) != nil else { return Self.error("offer") }
        if let error = phoneError(fields["phone"]) { return error }
        guard let ip = fields["ip"], !ip.isEmpty else { return Self.error("noip") }
        if let country = fields["country"]?.uppercased(), context.configuration.blockedCountries.contains(country) {
            return Self.error("country")
        }
        var stored = fields
        stored["uid"] = order
        let number = context.store.nextNumber()
        let id = String(number)
        let key = duplicateByPhone ? fields["phone"] ?? "" : ""
        switch context.store.register(network: network, id: id, key: key, fields: stored, at: context.now()) {
        case .failure:
            return Self.error("duplicate")
        case .success:
            var answer: [String: JSONValue] = ["status": "ok", "id": .integer(Int64(number))]
            if duplicateByPhone { answer["url"] = .string(context.autologinURL(network, id: id, request: request)) }
            return .json(200, .object(answer))
        }
    }

    /// ext/edit.json: merges the posted fields (but `oid`) into the lead `oid`.
    private func edit(_ fields: [String: String]) -> EmulatorResponse {
        guard let oid = fields["oid"]?.trimmingSpaces(), !oid.isEmpty else { return Self.error("order") }
        var changes = fields
        changes["oid"] = nil
        if changes["phone"] != nil, let error = phoneError(changes["phone"]) { return error }
        guard context.store.updateFields(network, id: oid, with: changes) != nil else { return Self.error("order") }
        return .json(200, .object(["status": "ok", "id": Int64(oid).map(JSONValue.integer) ?? .string(oid)]))
    }

    private func list(_ fields: [String: String]) -> EmulatorResponse {
        let now = context.now()
        if let ids = fields["ids"] {
            let wanted = ids.split(separator: ",").map { String($0).trimmingSpaces() }
            let rows = wanted.compactMap { context.store.lead(network, id: $0) }.map { AlterCPAView(lead: $0, now: now).json }
            return .json(200, .array(rows))
        }
        guard let fromText = fields["from"], let toText = fields["to"],
            let from = EmulatorFormat.parseDate(fromText), let to = EmulatorFormat.parseDate(toText, endOfDay: true)
        else {
            return Self.error("data")
        }
        let rows = context.store.leads(network, createdFrom: from, to: to).map { AlterCPAView(lead: $0, now: now).json }
        return .json(200, .object(["leads": .array(rows)]))
    }
}
