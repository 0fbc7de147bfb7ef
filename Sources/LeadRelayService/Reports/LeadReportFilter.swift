import IntegrationRuntime

/// Which leads a report covers (`GET /api/v1/reports/leads` and `/summary`): received in
/// `[from, to)`, optionally of one offer, affiliate, country, delivery state, rejection
/// reason and stage; test leads only when `includeTest`.
public struct LeadReportFilter: Sendable, Equatable {
    /// Epoch seconds, `from` included, `to` excluded (when the intake received the lead).
    public var from: Double
    public var to: Double
    public var offerID: String?
    /// An affiliate's own key always reads with its own id here.
    public var affiliateID: String?
    /// ISO 3166 alpha-2, compared without regard to case.
    public var country: String?
    /// The delivery state: pending, sending, retry, accepted, rejected or error.
    public var state: State?
    /// The outcome's reason (`cap_reached`, `duplicate`, ...).
    public var reason: Outcome.Reason?
    public var stage: StageFilter?
    public var includeTest = false

    /// A lead's delivery state as reports name it.
    public enum State: String, Sendable, CaseIterable {
        case pending, sending, retry, accepted, rejected, error
    }

    /// A stage, or `none`: leads the network has not reported on yet.
    public enum StageFilter: Sendable, Equatable {
        case none
        case stage(StatusUpdate.Stage)
    }

    public init(from: Double, to: Double) {
        self.from = from
        self.to = to
    }
}
