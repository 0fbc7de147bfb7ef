import LeadJSON

/// A stored row's columns by name, read without trapping, whichever engine stored it
/// (`StoredRow` for SQLite, `PostgresColumns` for PostgreSQL): a value of the wrong type
/// (a corrupt or foreign database) is `StoreError.corruptRow`, never a crash. The records
/// both stores keep the same way are read once, over this (`StoreColumns+Access`).
protocol StoreColumns {
    /// The table the row is from, named in errors.
    var table: String { get }
    /// The text in `column`; nil when NULL.
    func nullableText(_ column: String) throws(StoreError) -> String?
    /// The number in `column`; nil when NULL.
    func nullableNumber(_ column: String) throws(StoreError) -> Double?
}

extension StoreColumns {
    /// The text in `column`, which must not be NULL.
    func text(_ column: String) throws(StoreError) -> String {
        guard let text = try nullableText(column) else { throw .corruptRow(table: table, detail: "\(column) is missing") }
        return text
    }

    /// The number in `column`, which must not be NULL.
    func number(_ column: String) throws(StoreError) -> Double {
        guard let number = try nullableNumber(column) else { throw .corruptRow(table: table, detail: "\(column) is missing") }
        return number
    }

    /// The whole number in `column` (an id, a priority, a cap); nil when NULL, a fraction
    /// or a number out of range is corrupt.
    func nullableInteger(_ column: String) throws(StoreError) -> Int64? {
        guard let number = try nullableNumber(column) else { return nil }
        guard let integer = Int64(exactly: number) else {
            throw .corruptRow(table: table, detail: "\(column) holds \(number), not a whole number")
        }
        return integer
    }

    /// The whole number in `column`, which must not be NULL.
    func integer(_ column: String) throws(StoreError) -> Int64 {
        guard let integer = try nullableInteger(column) else { throw .corruptRow(table: table, detail: "\(column) is missing") }
        return integer
    }

    /// The flag in `column` (SQLite's 0 or 1, PostgreSQL's boolean), which must not be NULL.
    func flag(_ column: String) throws(StoreError) -> Bool { try number(column) != 0 }

    /// The JSON text in `column`, parsed.
    func parsedJSON(_ column: String) throws(StoreError) -> JSONValue {
        let text = try text(column)
        do { return try JSONValue.parse(text) } catch {
            throw .corruptRow(table: table, detail: "\(column) is not JSON: \(error)")
        }
    }

    /// The JSON array of strings in `column` (offers granted, permissions, countries).
    func strings(_ column: String) throws(StoreError) -> [String] {
        (try parsedJSON(column).arrayValue ?? []).compactMap(\.stringValue)
    }

    /// A key's allowlist as stored: a JSON array of `[from, to]` pairs.
    func ranges(_ column: String) throws(StoreError) -> [IPRange] {
        var allowlist: [IPRange] = []
        for pair in try parsedJSON(column).arrayValue ?? [] {
            let ends = pair.arrayValue?.compactMap(\.stringValue) ?? []
            guard ends.count == 2, let range = IPRange(from: ends[0], to: ends[1]) else {
                throw .corruptRow(table: table, detail: "\(column) holds \(pair.encoded())")
            }
            allowlist.append(range)
        }
        return allowlist
    }
}
