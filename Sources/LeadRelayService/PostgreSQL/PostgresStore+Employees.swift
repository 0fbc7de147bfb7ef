import PostgresNIO

/// Employees and their keys (`EmployeeStore`) on PostgreSQL.
extension PostgresStore {
    public func save(_ employee: Employee) async throws(StoreError) {
        try await execute(
            """
            INSERT INTO employees (id, name, role) VALUES (\(employee.id), \(employee.name), \(employee.role.rawValue))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role
            """)
    }

    public func add(_ employee: Employee) async throws(StoreError) {
        try await execute(
            "INSERT INTO employees (id, name, role) VALUES (\(employee.id), \(employee.name), \(employee.role.rawValue))",
            inserting: "employee \(employee.id)")
    }

    public func employee(id: String) async throws(StoreError) -> Employee? {
        try await row("SELECT * FROM employees WHERE id = \(id)", table: "employees")?.employee()
    }

    public func employees() async throws(StoreError) -> [Employee] {
        try await rows("SELECT * FROM employees ORDER BY id", table: "employees").map { row throws(StoreError) in try row.employee() }
    }

    public func issueEmployeeKey(employeeID: String, allowlist: [IPRange], expiresAt: Double)
        async throws(StoreError) -> (EmployeeKey, KeyToken)
    {
        let issue = KeyIssue(idPrefix: EmployeeKey.idPrefix, expiresAt: expiresAt)
        let key = EmployeeKey(id: issue.id, employeeID: employeeID, allowlist: allowlist, expiresAt: issue.expiresAt)
        let ranges = StoreText.ranges(allowlist)
        // Inserted only if the employee exists: one statement, no window between check and insert.
        let inserted = try await execute(
            """
            INSERT INTO employee_keys (id, employee_id, digest, allowlist, expires_at)
            SELECT \(issue.id), id, \(issue.digest), \(ranges), \(issue.expiresAt) FROM employees WHERE id = \(employeeID)
            RETURNING id
            """)
        if inserted == 0 { throw .noSuchEmployee(employeeID) }
        return (key, issue.token)
    }

    public func employeeKey(digest: String) async throws(StoreError) -> EmployeeKey? {
        try await row("SELECT * FROM employee_keys WHERE digest = \(digest)", table: "employee_keys")?.employeeKey()
    }

    public func employeeKeys(employeeID: String?) async throws(StoreError) -> [EmployeeKey] {
        let query: PostgresQuery =
            if let employeeID {
                "SELECT * FROM employee_keys WHERE employee_id = \(employeeID) ORDER BY id"
            } else {
                "SELECT * FROM employee_keys ORDER BY employee_id, id"
            }
        return try await rows(query, table: "employee_keys").map { row throws(StoreError) in try row.employeeKey() }
    }

    public func extendEmployeeKey(id: String, until: Double) async throws(StoreError) {
        if try await execute("UPDATE employee_keys SET expires_at = \(until) WHERE id = \(id) RETURNING id") == 0 { throw .noSuchKey(id) }
    }

    public func revokeEmployeeKey(id: String, at: Double) async throws(StoreError) {
        if try await execute("UPDATE employee_keys SET revoked_at = \(at) WHERE id = \(id) RETURNING id") == 0 { throw .noSuchKey(id) }
    }
}
