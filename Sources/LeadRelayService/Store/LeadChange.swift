import IntegrationRuntime
import LeadJSON

/// A change of a lead already delivered, queued to be sent to one route (the second and
/// third of AlterCPA's four sending cases): an affiliate's `PATCH` (action `update`, to the
/// route that accepted the lead) or the lead's approval (action `approved`, to its offer's
/// on-approve route). Changes are delivered like leads (`ChangeDispatcher`), never fall
/// through to another route.
public struct StoredChange: Sendable, Equatable {
    /// LeadRelay's id for the change (`change_id` in the PATCH answer).
    public var id: String
    public var leadID: String
    /// The route it is sent to.
    public var routeID: Int64
    /// `update` or `approved`.
    public var action: Action
    /// What the affiliate changed (`update`; sensitive fields opened), `{}` for `approved`.
    public var fields: JSONValue
    /// Where its delivery stands, as a lead's.
    public var state: DeliveryState
    /// The outcome of its last finished attempt, if any.
    public var outcome: Outcome?
    /// Claimed again after a lease ran out while it was `sending`.
    public var sentAgain: Bool
    public var createdAt: Double
    public var updatedAt: Double

    public init(
        id: String, leadID: String, routeID: Int64, action: Action, fields: JSONValue = .object([:]), state: DeliveryState,
        outcome: Outcome? = nil, sentAgain: Bool = false, createdAt: Double, updatedAt: Double
    ) {
        self.id = id
        self.leadID = leadID
        self.routeID = routeID
        self.action = action
        self.fields = fields
        self.state = state
        self.outcome = outcome
        self.sentAgain = sentAgain
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An affiliate's change of a delivered lead (`PATCH /api/v1/leads/{id}`), as the intake
/// hands it to the store.
public struct NewUpdate: Sendable {
    public var leadID: String
    /// The fields to change, read as the intake reads a lead's (`IntakeLead.readChange`).
    public var fields: [String: JSONValue]
    /// The affiliate's `Idempotency-Key` and the digest of the body it came with.
    public var idempotency: NewLead.Idempotency?
    public var receivedAt: Double

    public init(leadID: String, fields: [String: JSONValue], idempotency: NewLead.Idempotency? = nil, receivedAt: Double) {
        self.leadID = leadID
        self.fields = fields
        self.idempotency = idempotency
        self.receivedAt = receivedAt
    }
}

/// What became of an update.
public enum UpdateInsertion: Sendable, Equatable {
    /// Stored (the lead's fields merged with it, in the same transaction), due at once.
    case queued(StoredChange)
    /// This `Idempotency-Key` came with the same body before: the change it made then.
    case replayed(StoredChange)
    /// This `Idempotency-Key` came before with another body (answer 409).
    case keyReused
    /// The lead was not accepted by a route with a network id (answer 409 `not_delivered`).
    case notDelivered
}

/// One attempt of a change, as the store keeps it: the attempt (its `leadID` is the
/// change's lead) and the change's action.
public struct ChangeAttempt: Sendable, Equatable {
    public var changeID: String
    public var action: Action
    public var attempt: AttemptRecord

    public init(changeID: String, action: Action, attempt: AttemptRecord) {
        self.changeID = changeID
        self.action = action
        self.attempt = attempt
    }
}
