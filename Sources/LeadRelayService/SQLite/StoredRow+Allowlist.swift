import LeadJSON

extension StoredRow {
    /// A key's allowlist as stored: a JSON array of `[from, to]` pairs.
    func allowlist(_ column: String) throws(StoreError) -> [IPRange] {
        var allowlist: [IPRange] = []
        for pair in try json(column).arrayValue ?? [] {
            let ends = pair.arrayValue?.compactMap(\.stringValue) ?? []
            guard ends.count == 2, let range = IPRange(from: ends[0], to: ends[1]) else {
                throw .corruptRow(table: table, detail: "\(column) holds \(pair.encoded())")
            }
            allowlist.append(range)
        }
        return allowlist
    }

    /// The stored text of an allowlist (what `allowlist(_:)` reads).
    static func encoded(_ allowlist: [IPRange]) -> String {
        JSONValue.array(allowlist.map { .array([.string($0.from), .string($0.to)]) }).encoded()
    }
}
