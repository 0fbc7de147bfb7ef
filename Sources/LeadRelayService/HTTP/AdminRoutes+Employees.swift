import Hummingbird
import LeadJSON

extension AdminRoutes {
    /// Employees with their keys (never a token).
    func listEmployees(_ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let employees = try await admin.employees()
        let keys = try await admin.employeeKeys(employeeID: nil)
        let now = admin.now
        let list = employees.map { employee -> JSONValue in
            var object = employee.displayed.objectValue ?? [:]
            object["keys"] = .array(keys.filter { $0.employeeID == employee.id }.map { $0.displayed(now: now) })
            return .object(object)
        }
        return JSONAnswer.make(.ok, ["employees": .array(list)], context: context)
    }

    /// `{"name", "role", "allow": [...], "id"?, "expires_in"?: "90d"}`: 201 with the employee,
    /// its first key and the token, shown this once.
    func createEmployee(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let role = try AdminInput.role(try body.string("role"))
        let allowlist = try AdminInput.allowlist(try body.optionalStrings("allow") ?? [])
        let seconds = try AdminInput.duration(try body.optionalString("expires_in") ?? "90d", field: "expires_in")
        let (employee, key, token) = try await admin.createEmployee(
            id: try body.optionalString("id"), name: try body.string("name"), role: role, allowlist: allowlist, validFor: seconds)
        return JSONAnswer.make(
            .created,
            ["employee": employee.displayed, "key": key.displayed(now: admin.now), "token": .string(token.text), "notice": Self.shownOnce],
            context: context)
    }

    /// `{"allow": [...], "expires_in"?: "90d"}`: 201 with the key and its token, shown this once.
    func issueEmployeeKey(_ fields: [String: JSONValue], _ context: ServiceRequestContext) async throws(AdminError) -> Response {
        let body = AdminBody(fields: fields)
        let allowlist = try AdminInput.allowlist(try body.optionalStrings("allow") ?? [])
        let seconds = try AdminInput.duration(try body.optionalString("expires_in") ?? "90d", field: "expires_in")
        let (key, token) = try await admin.issueEmployeeKey(
            employeeID: context.parameters.get("id") ?? "", allowlist: allowlist, validFor: seconds)
        return JSONAnswer.make(
            .created, ["key": key.displayed(now: admin.now), "token": .string(token.text), "notice": Self.shownOnce], context: context)
    }

    static let shownOnce = JSONValue.string("this token is shown only now and will not be shown again")
}
