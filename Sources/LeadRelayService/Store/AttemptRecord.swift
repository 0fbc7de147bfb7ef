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
    public var report: JSONValue
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
        self.report = report
        self.sentAgain = sentAgain
    }
}
