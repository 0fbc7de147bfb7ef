import GRDB
import IntegrationRuntime
import LeadJSON

/// Reads a stored row's columns without trapping: a value of the wrong type (a corrupt or
/// foreign database) is `StoreError.corruptRow`, never a crash.
struct StoredRow {
    let row: Row
    let table: String
    /// The row's column names, in order: a column is found by comparing them with its name
    /// as written in our SQL (lower case). GRDB's lookup by name lowercases the name and every
    /// column name it passes, for every value read (a lead's row has over 20 columns).
    private let columns: [String]

    init(row: Row, table: String) {
        self.row = row
        self.table = table
        columns = Array(row.columnNames)
    }

    /// The value of `column`: found by exact name, else by GRDB's case-insensitive lookup.
    private func databaseValue(_ column: String) -> DatabaseValue {
        if let index = columns.firstIndex(of: column) {
            let value: DatabaseValue = row[index]
            return value
        }
        return row[column] ?? .null
    }

    func value<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws(StoreError) -> T {
        guard let value = try optional(column, as: type) else {
            throw .corruptRow(table: table, detail: "\(column) is missing")
        }
        return value
    }

    func optional<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws(StoreError) -> T? {
        let stored = databaseValue(column)
        if stored.isNull { return nil }
        guard let value = T.fromDatabaseValue(stored) else {
            throw .corruptRow(table: table, detail: "\(column) holds \(stored), not a \(T.self)")
        }
        return value
    }

    /// The attempt this `attempts` row holds.
    func attempt() throws(StoreError) -> AttemptRecord {
        guard let outcome = try outcome("outcome") else { throw .corruptRow(table: table, detail: "outcome is missing") }
        return AttemptRecord(
            leadID: try value("lead_id"), number: try value("number"), integration: try value("integration"),
            startedAt: try value("started_at"), endedAt: try value("ended_at"), outcome: outcome,
            report: try parsedJSON("report"), sentAgain: try value("sent_again", as: Bool.self), routeID: try optional("route_id"),
            run: try optional("run"))
    }
}
