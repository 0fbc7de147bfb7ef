import Host

/// The agency API of an AlterCPA-based network, under `/altercpa`:
///
///     POST /altercpa/ext/add.json?id={user}-{key}    form: id, offer, wm, name, phone, ip, ...
///     POST /altercpa/ext/list.json?id={user}-{key}   form: ids=1,2,3 | from, to (dates)
///
/// Every answer the API understands is HTTP 200 JSON with `status: "ok"` or
/// `status: "error"` and an `error` code: `key` (wrong or missing key), `offer`,
/// `nophone`/`badphone`, `noip`, `country` (blocked), `duplicate` (phone already sent).
/// Fields are read from the form and the query alike, as AlterCPA does.
public struct AlterCPAEmulator: NetworkEmulator {
    public let network = SandboxNetwork.altercpa
    let context: EmulatorContext

    public init(context: EmulatorContext) {
        self.context = context
    }

    static func error(_ code: String) -> SandboxResponse {
        .json(200, .object(["status": "error", "error": .string(code)]))
    }

    public func handle(_ request: SandboxRequest) -> SandboxResponse {
        if let page = autologinPage(request, store: context.store) { return page }
        guard request.path == "/ext/add.json" || request.path == "/ext/list.json" else {
            return .json(404, .object(["status": "error", "error": "method"]))
        }
        // `id` of the query is the key; `id` of the add form is our order id.
        var fields = request.query
        for (key, value) in request.form where key != "id" { fields[key] = value }
        guard request.query["id"] == context.credentials.altercpaKey else { return Self.error("key") }
        if request.path == "/ext/add.json" { return add(request, order: request.form["id"], fields: fields) }
        return list(fields)
    }

    private func add(_ request: SandboxRequest, order: String?, fields: [String: String]) -> SandboxResponse {
        guard let offer = fields["offer"], Int(offer) != nil else { return Self.error("offer") }
        guard let phone = fields["phone"], !phone.isEmpty else { return Self.error("nophone") }
        guard (7...15).contains(phone.count), phone.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return Self.error("badphone")
        }
        guard let ip = fields["ip"], !ip.isEmpty else { return Self.error("noip") }
        if let country = fields["country"]?.uppercased(), context.configuration.blockedCountries.contains(country) {
            return Self.error("country")
        }
        var stored = fields
        stored["uid"] = order
        let number = context.store.nextNumber()
        let id = String(number)
        switch context.store.register(network: network, id: id, key: phone, fields: stored, at: context.now()) {
        case .failure:
            return Self.error("duplicate")
        case .success:
            return .json(200, .object([
                "status": "ok", "id": .integer(Int64(number)),
                "url": .string(context.autologinURL(network, id: id, request: request)),
            ]))
        }
    }

    private func list(_ fields: [String: String]) -> SandboxResponse {
        let now = context.now()
        if let ids = fields["ids"] {
            let wanted = ids.split(separator: ",").map { String($0).trimmingSpaces() }
            let rows = wanted.compactMap { context.store.lead(network, id: $0) }.map { AlterCPAView(lead: $0, now: now).json }
            return .json(200, .array(rows))
        }
        guard let fromText = fields["from"], let toText = fields["to"],
              let from = SandboxFormat.parseDate(fromText), let to = SandboxFormat.parseDate(toText, endOfDay: true) else {
            return Self.error("data")
        }
        let rows = context.store.leads(network, createdFrom: from, to: to).map { AlterCPAView(lead: $0, now: now).json }
        return .json(200, .object(["leads": .array(rows)]))
    }
}
