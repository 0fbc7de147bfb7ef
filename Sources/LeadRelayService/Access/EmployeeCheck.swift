/// Decides whether a request may act with an employee key: the key known (among employee
/// keys only: an affiliate's key is unknown here), unexpired and not revoked, the address
/// on its allowlist, the right in the employee's role.
public struct EmployeeCheck: Sendable {
    let store: any EmployeeStore

    public init(store: any EmployeeStore) { self.store = store }

    /// The employee acting, or why not: 401 as the intake answers it, 403 for an address
    /// off the allowlist or a role without `right`.
    public func authorize(token: String?, address: String, needs right: AdminRight, now: Double)
        async throws(StoreError) -> Result<Employee, AccessRefusal>
    {
        guard let token, !token.isEmpty, let key = try await store.employeeKey(digest: KeyToken.digest(of: token)),
            key.revokedAt == nil, key.expiresAt > now,
            let employee = try await store.employee(id: key.employeeID)
        else {
            return .failure(.unauthenticated)
        }
        guard key.allowlist.contains(where: { $0.admits(address) }) else { return .failure(.addressNotAllowed) }
        guard employee.role.rights.contains(right) else { return .failure(.roleNotAllowed(employee.role, right)) }
        return .success(employee)
    }
}
