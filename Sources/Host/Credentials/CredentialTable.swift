/// Credentials by scope and key, with the stores' rules (compare-and-set, the entries a
/// scope may hold): the state of `MemoryCredentialStore` and of the file behind
/// `FileCredentialStore`.
public struct CredentialTable: Sendable, Equatable {
    /// Values by scope, then by key.
    public private(set) var scopes: [String: [String: String]]

    public init(_ scopes: [String: [String: String]] = [:]) { self.scopes = scopes }

    public func value(_ key: String, in scope: String) -> String? { scopes[scope]?[key] }

    /// Applies a compare-and-set (see `CredentialStore.setCredential`): false when the
    /// stored value is not what `expected` says, throws when the scope is full.
    public mutating func set(_ key: String, to value: String?, in scope: String, ifCurrent expected: CredentialExpectation)
        throws(CredentialStoreError) -> Bool
    {
        let current = scopes[scope]?[key]
        guard expected.matches(current) else { return false }
        guard let value else {
            scopes[scope]?[key] = nil
            if scopes[scope]?.isEmpty == true { scopes[scope] = nil }
            return true
        }
        if current == nil, (scopes[scope]?.count ?? 0) >= CredentialLimits.entriesPerScope {
            throw .full(scope, adding: key)
        }
        scopes[scope, default: [:]][key] = value
        return true
    }
}
