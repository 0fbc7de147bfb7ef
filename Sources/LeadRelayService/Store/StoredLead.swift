import IntegrationRuntime
import LeadJSON

/// A lead as the store holds it: its fields, where its delivery stands and its last outcome.
public struct StoredLead: Sendable, Equatable {
    /// LeadRelay's id for the lead (what the affiliate gets back, `ctx.lead.id` in scripts).
    public var id: String
    public var offerID: String
    public var affiliateID: String?
    public var fields: JSONValue
    /// Where its delivery stands (`DeliveryState`: pending, sending, retry, or final).
    public var state: DeliveryState
    /// The outcome of its last finished attempt, if any.
    public var outcome: Outcome?
    /// True once the lead was claimed again after a lease ran out while it was `sending`
    /// (its process died): the network may have received it twice.
    public var sentAgain: Bool
    public var isTest: Bool
    /// What delivering it runs: `push` or `register`.
    public var action: Action = .push
    /// Routes that rejected the lead, by id: routing passes over them (the offer's fall-through).
    public var routesTried: [Int64]
    public var receivedAt: Double
    public var updatedAt: Double

    public init(
        id: String, offerID: String, affiliateID: String?, fields: JSONValue, state: DeliveryState,
        outcome: Outcome?, sentAgain: Bool, isTest: Bool, routesTried: [Int64] = [], receivedAt: Double, updatedAt: Double
    ) {
        self.routesTried = routesTried
        self.id = id
        self.offerID = offerID
        self.affiliateID = affiliateID
        self.fields = fields
        self.state = state
        self.outcome = outcome
        self.sentAgain = sentAgain
        self.isTest = isTest
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
    }
}

/// What became of an insert.
public enum LeadInsertion: Sendable, Equatable {
    /// The lead is stored, under a new id.
    case inserted(StoredLead)
    /// The affiliate sent this `Idempotency-Key` with the same body before: the lead it
    /// created then (answer as the first time).
    case replayed(StoredLead)
    /// The affiliate sent this `Idempotency-Key` before with another body (answer 409).
    case keyReused(existingLeadID: String)
}
