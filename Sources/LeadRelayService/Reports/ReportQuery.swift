import Foundation
import IntegrationRuntime

/// A report request's query string read into a filter, a page and a format; every
/// parameter the report does not know, or holds a value it cannot use, is refused by name
/// (`AdminError.invalid`, 422), so a typo never widens a report silently.
///
/// - `from`, `to`: ISO 8601 (`2026-12-07T10:00:00Z`) or a UTC day (`2026-12-07`; as `to`,
///   the whole day is included). Default: the 7 days up to now. At most 366 days.
/// - `offer_id`, `affiliate_id`, `country`, `outcome` (a delivery state), `reason`, `stage`
///   (or `none`), `include_test` (`true`/`false`).
/// - `limit` (1-1000, default 100) and `cursor` (from the previous page), leads only.
/// - `format`: `json` (default) or `csv`.
public struct ReportQuery: Sendable, Equatable {
    public var filter: LeadReportFilter
    public var limit: Int
    public var afterSeq: Int64?
    public var csv: Bool

    public static let defaultLimit = 100
    public static let maxLimit = 1000
    public static let defaultDays = 7.0
    public static let maxDays = 366.0
    static let known: Set<String> = [
        "from", "to", "offer_id", "affiliate_id", "country", "outcome", "reason", "stage", "include_test", "limit", "cursor",
        "format",
    ]

    /// Reads `query` (the decoded name/value pairs, first value of a name wins); `paged`:
    /// `limit` and `cursor` are allowed; `acceptsCSV`: the `Accept` header asks for text/csv.
    public static func read(_ query: [(String, String)], paged: Bool, acceptsCSV: Bool, now: Double) throws(AdminError) -> ReportQuery {
        var values: [String: String] = [:]
        for (name, value) in query where values[name] == nil {
            guard known.contains(name), paged || (name != "limit" && name != "cursor") else {
                throw .invalid(field: name, detail: "is not a parameter of this report (\(known.sorted().joined(separator: ", ")))")
            }
            values[name] = value
        }
        let to = try values["to"].map { text throws(AdminError) in try time(text, field: "to", end: true) } ?? now
        let from =
            try values["from"].map { text throws(AdminError) in try time(text, field: "from", end: false) } ?? to - defaultDays * 86_400
        guard from < to else { throw .invalid(field: "from", detail: "must be before to") }
        guard to - from <= maxDays * 86_400 else { throw .invalid(field: "from", detail: "the range is at most \(Int(maxDays)) days") }
        var filter = LeadReportFilter(from: from, to: to)
        filter.offerID = values["offer_id"]
        filter.affiliateID = values["affiliate_id"]
        if let country = values["country"] {
            guard country.count == 2, country.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw .invalid(field: "country", detail: "\"\(country)\" is not an ISO 3166 alpha-2 code such as DE")
            }
            filter.country = country
        }
        filter.state = try word(values["outcome"], field: "outcome", LeadReportFilter.State.self)
        filter.reason = try word(values["reason"], field: "reason", Outcome.Reason.self)
        if let stage = values["stage"] {
            filter.stage =
                stage == "none" ? LeadReportFilter.StageFilter.none : .stage(try word(stage, field: "stage", StatusUpdate.Stage.self)!)
        }
        filter.includeTest = try flag(values["include_test"], field: "include_test")
        var limit = defaultLimit
        if let text = values["limit"] {
            guard let number = Int(text), (1...maxLimit).contains(number) else {
                throw .invalid(field: "limit", detail: "\"\(text)\" is not a number of leads from 1 to \(maxLimit)")
            }
            limit = number
        }
        let afterSeq = try values["cursor"].map { text throws(AdminError) in
            guard let seq = ReportCursor.seq(text) else {
                throw .invalid(field: "cursor", detail: "is not a cursor this service gave (pass back next_cursor as it came)")
            }
            return seq
        }
        let csv: Bool
        switch values["format"] {
        case nil: csv = acceptsCSV
        case "json": csv = false
        case "csv": csv = true
        case let other?: throw .invalid(field: "format", detail: "\"\(other)\" is json or csv")
        }
        return ReportQuery(filter: filter, limit: limit, afterSeq: afterSeq, csv: csv)
    }

    /// ISO 8601 or a UTC day; a day given as the end of the range includes that whole day.
    static func time(_ text: String, field: String, end: Bool) throws(AdminError) -> Double {
        let value = try Redelivery.time(text, field: field)
        let isDay = ISO8601DateFormatter().date(from: text) == nil
        return end && isDay ? value + 86_400 : value
    }

    static func word<T: RawRepresentable & CaseIterable>(_ text: String?, field: String, _ type: T.Type) throws(AdminError) -> T?
    where T.RawValue == String {
        guard let text else { return nil }
        guard let value = T(rawValue: text) else {
            let known = T.allCases.map(\.rawValue) + (field == "stage" ? ["none"] : [])
            throw .invalid(field: field, detail: "\"\(text)\" is not one of \(known.joined(separator: ", "))")
        }
        return value
    }

    static func flag(_ text: String?, field: String) throws(AdminError) -> Bool {
        switch text {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let other?: throw .invalid(field: field, detail: "\"\(other)\" is true or false")
        }
    }
}
