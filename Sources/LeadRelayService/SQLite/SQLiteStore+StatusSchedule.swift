import IntegrationRuntime
import LeadJSON

extension SQLiteStore {
    /// A route's checks as stored: a JSON array of check names, in the order runs make them.
    static func checksText(_ checks: Set<StatusCheck>) -> String {
        JSONValue.array(StatusCheck.allCases.filter(checks.contains).map { .string($0.rawValue) }).encoded()
    }

    /// The status schedule of a `routes` row (migration `v6-statuses`).
    static func statusSchedule(_ stored: StoredRow) throws(StoreError) -> StatusSchedule {
        var checks: Set<StatusCheck> = []
        for word in try stored.json("status_checks").arrayValue ?? [] {
            guard let check = word.stringValue.flatMap(StatusCheck.init(rawValue:)) else {
                throw .corruptRow(table: "routes", detail: "status_checks holds \(word.encoded()), not a status check")
            }
            checks.insert(check)
        }
        return StatusSchedule(
            checks: checks, intervalSeconds: try stored.value("status_interval"), windowSeconds: try stored.value("status_window"),
            rangeSeconds: try stored.value("status_range"))
    }
}
