import IntegrationRuntime
import LeadJSON

/// One delivery attempt as the store keeps it: what was sent and answered (masked), and
/// the outcome. Written in the same transaction as the lead's new state.
public struct AttemptRecord: Sendable, Equatable {
    public var leadID: String
    /// 1 for the first try.
    public var number: Int
    /// The integration (script) it went through.
    public var integration: String
    public var startedAt: Double
    public var endedAt: Double
    public var outcome: Outcome
    /// The call as `CallReport` renders it: exchanges, logs, location, masked.
    public var report: JSONValue {
        get { storedReport.value }
        set { storedReport = .value(newValue) }
    }
    /// `report` as compact JSON text, what the store writes.
    public var encodedReport: String { storedReport.text }
    /// The report as it was given: a value, or the text a dispatcher wrote it as at once
    /// (`CallReport.encodedJSON`: no tree built only to be encoded).
    private var storedReport: ReportForm
    /// The attempt ran again after its process died while it was under way.
    public var sentAgain: Bool
    /// The offer's route it went through (nil: none, as when no route took the lead).
    public var routeID: Int64?
    /// The dispatcher run that made it (`LocalRouteLoad.run`).
    public var run: String?

    public init(
        leadID: String, number: Int, integration: String, startedAt: Double, endedAt: Double,
        outcome: Outcome, report: JSONValue, sentAgain: Bool = false, routeID: Int64? = nil, run: String? = nil
    ) {
        self.run = run
        self.routeID = routeID
        self.leadID = leadID
        self.number = number
        self.integration = integration
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.storedReport = .value(report)
        self.sentAgain = sentAgain
    }

    /// An attempt whose report is already compact JSON text (`CallReport.encodedJSON`).
    public init(
        leadID: String, number: Int, integration: String, startedAt: Double, endedAt: Double,
        outcome: Outcome, encodedReport: String, sentAgain: Bool = false, routeID: Int64? = nil, run: String? = nil
    ) {
        self.init(
            leadID: leadID, number: number, integration: integration, startedAt: startedAt, endedAt: endedAt, outcome: outcome,
            report: .null, sentAgain: sentAgain, routeID: routeID, run: run)
        storedReport = .text(encodedReport)
    }
}

/// A report held as a value or as its compact text; two are equal when their texts are
/// (the encoding is canonical: sorted keys, one way to write each number).
private enum ReportForm: Sendable, Equatable {
    case value(JSONValue)
    case text(String)

    var value: JSONValue {
        switch self {
        case .value(let value): return value
        case .text(let text): return (try? JSONValue.parse(text)) ?? .string(text)
        }
    }

    var text: String {
        switch self {
        case .value(let value): return value.encoded()
        case .text(let text): return text
        }
    }

    static func == (a: ReportForm, b: ReportForm) -> Bool {
        if case .value(let x) = a, case .value(let y) = b { return x == y }
        return a.text == b.text
    }
}
