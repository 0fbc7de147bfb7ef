import IntegrationRuntime

/// Where the service keeps what networks say about delivered leads: each status update in
/// a lead's history and the lead's current stage, moved by `StageRule`. Updates name their
/// lead by the network's id (the `external_id` of the attempt that was accepted through the
/// route) or by LeadRelay's id, always within the route they came through: an update for a
/// lead that route did not accept is unknown, counted and never stored. `StatusStoreContract`
/// (ServiceTests) holds every implementation to this.
public protocol StatusStore: Sendable {
    /// Up to `limit` leads accepted through `routeID` at or after `acceptedSince` that a
    /// `check` covers (`processing`: not at a final stage; `approved`: at stage `approve`),
    /// that have the network's id, oldest acceptance first, after `cursor` (the last lead of
    /// the previous batch).
    func checkable(
        routeID: Int64, check: StatusCheck, acceptedSince: Double, after cursor: CheckedLead?, limit: Int
    ) async throws(StoreError) -> [CheckedLead]

    /// Stores the updates a check or a postback of `routeID` returned, in one transaction:
    /// duplicates are left out, updates for leads the route did not accept are counted, and
    /// each lead's current stage moves by `StageRule`.
    func record(_ updates: [StatusUpdate], routeID: Int64, source: StatusSource, now: Double) async throws(StoreError) -> StatusRecording

    /// The lead's current stage and its status history, oldest first (nil stage: no update yet).
    func statusHistory(leadID: String) async throws(StoreError) -> LeadStatusHistory

    /// The route whose postback address has this token.
    func route(postbackToken: String) async throws(StoreError) -> OfferRoute?
}

/// One lead a status check asks about (`ctx.leads`: `{id, external_id, created_at}`).
public struct CheckedLead: Sendable, Equatable {
    public var id: String
    /// The network's id, from the outcome of the attempt the route accepted.
    public var externalID: String
    /// When the intake received it (epoch seconds).
    public var createdAt: Double
    /// When the route accepted it (epoch seconds): batches run in this order.
    public var acceptedAt: Double

    public init(id: String, externalID: String, createdAt: Double, acceptedAt: Double) {
        self.id = id
        self.externalID = externalID
        self.createdAt = createdAt
        self.acceptedAt = acceptedAt
    }
}

/// Where a status update came from.
public enum StatusSource: String, Sendable, CaseIterable {
    case processing, approved, range, postback

    /// The source of a status check's updates.
    public init(_ check: StatusCheck) {
        switch check {
        case .processing: self = .processing
        case .approved: self = .approved
        case .range: self = .range
        }
    }
}

/// One update as a lead's history keeps it.
public struct StatusEntry: Sendable, Equatable {
    public var leadID: String
    public var routeID: Int64
    public var source: StatusSource
    /// The network's id the update named, if it named one.
    public var externalID: String?
    public var stage: StatusUpdate.Stage
    /// The network's own word.
    public var status: String?
    public var comment: String?
    public var amount: Double?
    public var currency: String?
    /// When the network says it happened (the update's `at`), epoch seconds; nil: it did not say.
    public var at: Double?
    /// When LeadRelay received it.
    public var receivedAt: Double
    /// Whether it became the lead's current stage (`StageRule`).
    public var applied: Bool

    public init(
        leadID: String, routeID: Int64, source: StatusSource, externalID: String? = nil, stage: StatusUpdate.Stage,
        status: String? = nil, comment: String? = nil, amount: Double? = nil, currency: String? = nil, at: Double? = nil,
        receivedAt: Double, applied: Bool = false
    ) {
        self.leadID = leadID
        self.routeID = routeID
        self.source = source
        self.externalID = externalID
        self.stage = stage
        self.status = status
        self.comment = comment
        self.amount = amount
        self.currency = currency
        self.at = at
        self.receivedAt = receivedAt
        self.applied = applied
    }
}

/// What `record` did with a batch of updates.
public struct StatusRecording: Sendable, Equatable {
    /// Updates added to a history.
    public var stored = 0
    /// Updates left out because the history had them already.
    public var duplicates = 0
    /// The ids (external, else LeadRelay's) of updates that match no lead of the route.
    public var unknown: [String] = []
    /// Leads whose stage changed, in the order it happened.
    public var changes: [StageChange] = []

    public init() {}
}

/// A lead's stage moved.
public struct StageChange: Sendable, Equatable {
    public var leadID: String
    /// nil: the lead had no stage yet.
    public var from: StatusUpdate.Stage?
    public var to: StatusUpdate.Stage

    public init(leadID: String, from: StatusUpdate.Stage?, to: StatusUpdate.Stage) {
        self.leadID = leadID
        self.from = from
        self.to = to
    }
}

/// A lead's current stage and every update stored for it.
public struct LeadStatusHistory: Sendable, Equatable {
    public var stage: StatusUpdate.Stage?
    public var entries: [StatusEntry]

    public init(stage: StatusUpdate.Stage?, entries: [StatusEntry]) {
        self.stage = stage
        self.entries = entries
    }

    /// The stages the lead went through, each with when it was reached (the network's time,
    /// else when LeadRelay learnt it): applied updates, one per change of stage.
    public var stages: [(stage: StatusUpdate.Stage, at: Double)] {
        var list: [(stage: StatusUpdate.Stage, at: Double)] = []
        for entry in entries where entry.applied && list.last?.stage != entry.stage {
            list.append((entry.stage, entry.at ?? entry.receivedAt))
        }
        return list
    }
}
