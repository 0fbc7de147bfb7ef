import IntegrationRuntime
import LeadJSON

/// Affiliates, employees and their keys as both stores keep them: the same columns, the
/// same JSON texts (`StoreText`), read back here once.
extension StoreColumns {
    /// The affiliate an `affiliates` row holds.
    func affiliate() throws(StoreError) -> Affiliate {
        Affiliate(
            id: try text("id"), name: try text("name"), offers: Set(try strings("offers")),
            postbackURL: try nullableText("postback_url"))
    }

    /// The key an `api_keys` row holds.
    func apiKey() throws(StoreError) -> APIKey {
        var permissions: Set<KeyPermission> = []
        for word in try strings("permissions") {
            guard let permission = KeyPermission(rawValue: word) else {
                throw .corruptRow(table: table, detail: "permissions holds \(word.debugDescription)")
            }
            permissions.insert(permission)
        }
        var rate: RateLimit?
        if let text = try nullableText("rate") {
            guard let parsed = RateLimit(text) else {
                throw .corruptRow(table: table, detail: "rate \(text.debugDescription) does not read")
            }
            rate = parsed
        }
        return APIKey(
            id: try text("id"), affiliateID: try text("affiliate_id"), permissions: permissions, allowlist: try ranges("allowlist"),
            expiresAt: try number("expires_at"), revokedAt: try nullableNumber("revoked_at"), rate: rate)
    }

    /// The employee an `employees` row holds.
    func employee() throws(StoreError) -> Employee {
        let word = try text("role")
        guard let role = EmployeeRole(rawValue: word) else {
            throw .corruptRow(table: table, detail: "role holds \(word), not admin, manager or analyst")
        }
        return Employee(id: try text("id"), name: try text("name"), role: role)
    }

    /// The key an `employee_keys` row holds.
    func employeeKey() throws(StoreError) -> EmployeeKey {
        EmployeeKey(
            id: try text("id"), employeeID: try text("employee_id"), allowlist: try ranges("allowlist"),
            expiresAt: try number("expires_at"), revokedAt: try nullableNumber("revoked_at"))
    }
}

/// The JSON texts both stores write for sets and lists (read back by `StoreColumns`).
enum StoreText {
    /// A set of words as a sorted JSON array of strings.
    static func words(_ words: some Sequence<String>) -> String {
        JSONValue.array(words.sorted().map(JSONValue.string)).encoded()
    }

    /// An allowlist as a JSON array of `[from, to]` pairs.
    static func ranges(_ allowlist: [IPRange]) -> String {
        JSONValue.array(allowlist.map { .array([.string($0.from), .string($0.to)]) }).encoded()
    }
}
