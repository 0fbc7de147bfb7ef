import Synchronization

/// A `CredentialStore` in memory, for `leadrelay check` and tests: a fixture seeds it
/// (`"credentials": {...}`) and its `expect.credentials` is compared with what the case
/// left in it (`values(in:)`). Not durable: nothing survives the process.
public final class MemoryCredentialStore: CredentialStore {
    private let table: Mutex<CredentialTable>

    public init(_ table: CredentialTable = CredentialTable()) {
        self.table = Mutex(table)
    }

    /// A store holding `values` in `scope`.
    public convenience init(scope: String, values: [String: String]) {
        self.init(CredentialTable(values.isEmpty ? [:] : [scope: values]))
    }

    public func credential(_ key: String, in scope: String) -> String? {
        table.withLock { $0.value(key, in: scope) }
    }

    public func setCredential(_ key: String, to value: String?, in scope: String, ifCurrent expected: CredentialExpectation)
        throws(CredentialStoreError) -> Bool
    {
        try table.withLock { (t: inout CredentialTable) throws(CredentialStoreError) -> Bool in
            try t.set(key, to: value, in: scope, ifCurrent: expected)
        }
    }

    /// Everything `scope` holds now.
    public func values(in scope: String) -> [String: String] {
        table.withLock { $0.scopes[scope] ?? [:] }
    }
}
