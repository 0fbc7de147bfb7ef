import IntegrationRuntime
import LeadJSON

extension LeadSummary {
    /// The summary's columns in CSV: one per delivery state, reason and stage (a count,
    /// empty for none), the rates, and money as `amount currency` pairs joined by `; `.
    static func columns(_ audience: ReportAudience) -> [String] {
        ["day", "offer_id", "leads", "sent"] + LeadReportFilter.State.allCases.map { "outcome_\($0.rawValue)" }
            + Outcome.Reason.allCases.map { "reason_\($0.rawValue)" } + StatusUpdate.Stage.allCases.map { "stage_\($0.rawValue)" }
            + ["stage_none", "accepted_rate", "approved_rate", "payouts"] + (audience.seesBuyer ? ["revenue"] : [])
    }

    /// The rows `json` made, as CSV with a header row.
    static func csv(_ rows: [JSONValue], audience: ReportAudience) -> String {
        var table = CSVTable(columns: columns(audience))
        for row in rows {
            var cells: [String: JSONValue] = [:]
            for name in ["day", "offer_id", "leads", "sent", "accepted_rate", "approved_rate"] { cells[name] = row[name] }
            for (group, prefix) in [("outcomes", "outcome_"), ("reasons", "reason_"), ("stages", "stage_")] {
                for (key, count) in row[group]?.objectValue ?? [:] { cells[prefix + key] = count }
            }
            for name in ["payouts", "revenue"] {
                let pairs = (row[name]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "\($0.value.stringValue ?? "") \($0.key)" }
                cells[name] = .string(pairs.joined(separator: "; "))
            }
            table.append(cells)
        }
        return table.csv
    }
}
