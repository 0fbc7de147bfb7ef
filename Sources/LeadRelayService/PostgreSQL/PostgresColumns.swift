import PostgresNIO

/// A PostgreSQL row's columns by name (`StoreColumns`): text columns as `String`, numbers
/// (`double precision`, `bigint`, `integer`) as `Double`, a value of another type is
/// `corruptRow`.
struct PostgresColumns: StoreColumns {
    let row: PostgresRandomAccessRow
    let table: String

    init(_ row: PostgresRow, table: String) {
        self.row = row.makeRandomAccess()
        self.table = table
    }

    func nullableText(_ column: String) throws(StoreError) -> String? {
        let cell = try cell(column)
        do { return try cell.decode(String?.self) } catch {
            throw .corruptRow(table: table, detail: "\(column) holds a \(cell.dataType), not text")
        }
    }

    func nullableNumber(_ column: String) throws(StoreError) -> Double? {
        let cell = try cell(column)
        do {
            switch cell.dataType {
            case .int8: return try cell.decode(Int64?.self).map(Double.init)
            case .int4: return try cell.decode(Int32?.self).map(Double.init)
            case .int2: return try cell.decode(Int16?.self).map(Double.init)
            case .bool: return try cell.decode(Bool?.self).map { $0 ? 1 : 0 }
            default: return try cell.decode(Double?.self)
            }
        } catch {
            throw .corruptRow(table: table, detail: "\(column) holds a \(cell.dataType), not a number")
        }
    }

    private func cell(_ column: String) throws(StoreError) -> PostgresCell {
        guard row.contains(column) else { throw .corruptRow(table: table, detail: "\(column) is missing") }
        return row[column]
    }
}
