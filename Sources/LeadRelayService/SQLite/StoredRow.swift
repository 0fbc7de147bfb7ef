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

    func json(_ column: String) throws(StoreError) -> JSONValue {
        let text: String = try value(column)
        do { return try JSONValue.parse(text) } catch {
            throw .corruptRow(table: table, detail: "\(column) is not JSON: \(error)")
        }
    }

    func outcome(_ column: String) throws(StoreError) -> Outcome? {
        guard optionalText(column) != nil else { return nil }
        guard let outcome = Outcome(stored: try json(column)) else {
            throw .corruptRow(table: table, detail: "\(column) is not an outcome")
        }
        return outcome
    }

    private func optionalText(_ column: String) -> String? {
        String.fromDatabaseValue(databaseValue(column))
    }

    /// The delivery state in the row's `state`, `attempt` and `due_at` (a lead's or a
    /// change's); `what` names the row in the error.
    func deliveryState(of what: String) throws(StoreError) -> DeliveryState {
        let attempt: Int = try value("attempt")
        switch try value("state", as: String.self) {
        case "pending": return .pending
        case "sending": return .sending(attempt: attempt)
        case "retry": return .retry(at: try value("due_at"), attempt: attempt)
        case "accepted": return .accepted
        case "rejected": return .rejected
        case "error": return .error
        case let other: throw .corruptRow(table: table, detail: "\(what) has the unknown state \(other)")
        }
    }

    /// The lead this `leads` row holds, its sensitive fields opened with `sealer`.
    func lead(opening sealer: SecretSealer?) throws(StoreError) -> StoredLead {
        let id: String = try value("id")
        let state = try deliveryState(of: "lead \(id)")
        let actionWord: String = try value("action")
        guard let action = Action(rawValue: actionWord), action == .push || action == .register else {
            throw .corruptRow(table: table, detail: "lead \(id) has the unknown action \(actionWord)")
        }
        var lead = StoredLead(
            id: id, offerID: try value("offer_id"), affiliateID: try optional("affiliate_id"),
            fields: try SensitiveFields.open(json("fields"), leadID: id, sealer: sealer),
            state: state, outcome: try outcome("outcome"), sentAgain: try value("sent_again", as: Bool.self),
            isTest: try value("is_test", as: Bool.self),
            routesTried: (try json("routes_tried").arrayValue ?? []).compactMap { $0.doubleValue.map { Int64($0) } },
            receivedAt: try value("received_at"), updatedAt: try value("updated_at"))
        lead.action = action
        return lead
    }

    /// The attempt this `attempts` row holds.
    func attempt() throws(StoreError) -> AttemptRecord {
        guard let outcome = try outcome("outcome") else { throw .corruptRow(table: table, detail: "outcome is missing") }
        return AttemptRecord(
            leadID: try value("lead_id"), number: try value("number"), integration: try value("integration"),
            startedAt: try value("started_at"), endedAt: try value("ended_at"), outcome: outcome,
            report: try json("report"), sentAgain: try value("sent_again", as: Bool.self), routeID: try optional("route_id"),
            run: try optional("run"))
    }
}
