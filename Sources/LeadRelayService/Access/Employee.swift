/// What an employee's role lets it do through the admin API (issue 12, point 4).
public enum AdminRight: String, Sendable, CaseIterable {
    /// Offers and their routes.
    case offers
    /// Affiliates, the offers granted to them, and their keys.
    case affiliates
    /// Reports.
    case reports
    /// Employees and their keys.
    case employees
}

/// An employee's role: admin (everything), manager (offers, routes, affiliates), analyst
/// (reports only).
public enum EmployeeRole: String, Sendable, CaseIterable {
    case admin, manager, analyst

    /// What the role may do.
    public var rights: Set<AdminRight> {
        switch self {
        case .admin: return Set(AdminRight.allCases)
        case .manager: return [.offers, .affiliates]
        case .analyst: return [.reports]
        }
    }
}

/// Someone of LeadRelay's own staff, acting through the admin API with an employee key.
public struct Employee: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: EmployeeRole

    public init(id: String, name: String, role: EmployeeRole) {
        self.id = id
        self.name = name
        self.role = role
    }
}

/// An employee's key as the store keeps it: a token of the same form as an affiliate's
/// (`lr_`, 256 random bits, only its SHA-256 stored), an expiry, a revocation time and an
/// allowlist; what it allows is the employee's role. Employee keys are kept apart from
/// affiliates' keys: one never opens the other's API.
public struct EmployeeKey: Sendable, Equatable {
    /// The store's id for the key (`ekey_...`; not a secret).
    public var id: String
    public var employeeID: String
    public var allowlist: [IPRange]
    public var expiresAt: Double
    public var revokedAt: Double?

    /// The prefix of an employee key's id (an affiliate key's is `key_`).
    public static let idPrefix = "ekey_"

    public init(id: String, employeeID: String, allowlist: [IPRange], expiresAt: Double, revokedAt: Double? = nil) {
        self.id = id
        self.employeeID = employeeID
        self.allowlist = allowlist
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// Where employees and their keys are kept (keys hashed: a token is shown once).
public protocol EmployeeStore: Sendable {
    /// Creates or replaces the employee with this id.
    func save(_ employee: Employee) async throws(StoreError)
    /// Stores a new employee, never replacing one (`exists`).
    func add(_ employee: Employee) async throws(StoreError)
    func employee(id: String) async throws(StoreError) -> Employee?
    /// Every employee, by id.
    func employees() async throws(StoreError) -> [Employee]
    /// Issues a key to `employeeID`: the stored key and its token, which is not kept.
    func issueEmployeeKey(employeeID: String, allowlist: [IPRange], expiresAt: Double)
        async throws(StoreError) -> (EmployeeKey, KeyToken)
    /// The employee key whose token has this SHA-256, revoked or expired too.
    func employeeKey(digest: String) async throws(StoreError) -> EmployeeKey?
    /// The keys of one employee, or of every employee (nil); never a token.
    func employeeKeys(employeeID: String?) async throws(StoreError) -> [EmployeeKey]
    func extendEmployeeKey(id: String, until: Double) async throws(StoreError)
    func revokeEmployeeKey(id: String, at: Double) async throws(StoreError)
}
