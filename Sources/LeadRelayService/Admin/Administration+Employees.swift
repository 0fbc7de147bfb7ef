extension Administration {
    /// A new employee with a first key: the employee, the key and its token (shown once).
    public func createEmployee(
        id: String?, name: String, role: EmployeeRole, allowlist: [IPRange], validFor seconds: Double
    ) async throws(AdminError) -> (employee: Employee, key: EmployeeKey, token: KeyToken) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid(field: "name", detail: "the employee needs a name")
        }
        let chosen = try id.map { text throws(AdminError) in try AdminInput.identifier(text, field: "id") } ?? Self.newID("emp_")
        let employee = Employee(id: chosen, name: name, role: role)
        let expiry = now + seconds
        try await stored { () async throws(StoreError) in try await store.add(employee) }
        let (key, token) = try await stored { () async throws(StoreError) in
            try await store.issueEmployeeKey(employeeID: chosen, allowlist: allowlist, expiresAt: expiry)
        }
        return (employee, key, token)
    }

    /// Another key for an employee: the key and its token (shown once).
    public func issueEmployeeKey(employeeID: String, allowlist: [IPRange], validFor seconds: Double)
        async throws(AdminError) -> (key: EmployeeKey, token: KeyToken)
    {
        let expiry = now + seconds
        do { return try await store.issueEmployeeKey(employeeID: employeeID, allowlist: allowlist, expiresAt: expiry) } catch {
            if case .noSuchEmployee = error { throw .notFound("no employee \(employeeID) (leadrelay employee list shows them)") }
            throw .store(error)
        }
    }

    public func employees() async throws(AdminError) -> [Employee] {
        try await stored { () async throws(StoreError) in try await store.employees() }
    }

    public func employeeKeys(employeeID: String?) async throws(AdminError) -> [EmployeeKey] {
        try await stored { () async throws(StoreError) in try await store.employeeKeys(employeeID: employeeID) }
    }
}
