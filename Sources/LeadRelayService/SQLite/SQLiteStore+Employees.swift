import Foundation
import GRDB

extension SQLiteStore {
    public func save(_ employee: Employee) async throws(StoreError) {
        try await writing { db in
            try db.execute(
                sql: """
                    INSERT INTO employees (id, name, role) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role
                    """, arguments: [employee.id, employee.name, employee.role.rawValue])
        }
    }

    public func employee(id: String) async throws(StoreError) -> Employee? {
        try await reading { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM employees WHERE id = ?", arguments: [id]) else { return nil }
            return try StoredRow(row: row, table: "employees").employee()
        }
    }

    public func employees() async throws(StoreError) -> [Employee] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM employees ORDER BY id").map { row throws(StoreError) in
                try StoredRow(row: row, table: "employees").employee()
            }
        }
    }

    public func issueEmployeeKey(employeeID: String, allowlist: [IPRange], expiresAt: Double)
        async throws(StoreError) -> (EmployeeKey, KeyToken)
    {
        let issue = KeyIssue(idPrefix: EmployeeKey.idPrefix, expiresAt: expiresAt)
        let key = EmployeeKey(id: issue.id, employeeID: employeeID, allowlist: allowlist, expiresAt: issue.expiresAt)
        let ranges = StoreText.ranges(allowlist)
        try await writing { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM employees WHERE id = ?", arguments: [employeeID]) != nil else {
                throw StoreError.noSuchEmployee(employeeID)
            }
            try db.execute(
                sql: "INSERT INTO employee_keys (id, employee_id, digest, allowlist, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [issue.id, employeeID, issue.digest, ranges, issue.expiresAt])
        }
        return (key, issue.token)
    }

    public func employeeKey(digest: String) async throws(StoreError) -> EmployeeKey? {
        try await reading { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM employee_keys WHERE digest = ?", arguments: [digest]) else {
                return nil
            }
            return try StoredRow(row: row, table: "employee_keys").employeeKey()
        }
    }

    public func employeeKeys(employeeID: String?) async throws(StoreError) -> [EmployeeKey] {
        try await reading { db in
            let rows =
                if let employeeID {
                    try Row.fetchAll(db, sql: "SELECT * FROM employee_keys WHERE employee_id = ? ORDER BY id", arguments: [employeeID])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM employee_keys ORDER BY employee_id, id")
                }
            return try rows.map { row throws(StoreError) in try StoredRow(row: row, table: "employee_keys").employeeKey() }
        }
    }

    public func extendEmployeeKey(id: String, until: Double) async throws(StoreError) {
        try await changeKey(id, sql: "UPDATE employee_keys SET expires_at = ? WHERE id = ?", arguments: [until, id])
    }

    public func revokeEmployeeKey(id: String, at: Double) async throws(StoreError) {
        try await changeKey(id, sql: "UPDATE employee_keys SET revoked_at = ? WHERE id = ?", arguments: [at, id])
    }
}
