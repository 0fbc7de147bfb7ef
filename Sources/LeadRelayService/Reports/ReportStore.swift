import Foundation
import IntegrationRuntime
import LeadJSON

/// What the reports read from the store, and the retention period's anonymisation.
/// `SQLiteStore` implements it; `ReportStoreContract` (ServiceTests) holds every
/// implementation to it (run by `SQLiteStoreTests`).
public protocol ReportStore: Sendable {
    /// Up to `limit` leads the filter covers, in the store's order of arrival, after the one
    /// with `afterSeq` (the cursor; nil: from the start). A lead arriving during the paging
    /// comes after every lead already read, so pages never repeat or skip one.
    func reportLeads(_ filter: LeadReportFilter, afterSeq: Int64?, limit: Int) async throws(StoreError) -> [ReportedLead]

    /// The leads the filter covers, counted per UTC day, offer, state, reason, stage and
    /// whether they were sent; and the buyer revenue of each approved lead.
    func reportSummary(_ filter: LeadReportFilter) async throws(StoreError) -> (counts: [SummaryCount], revenue: [SummaryRevenue])

    /// Clears the personal fields of up to `limit` leads received before `receivedBefore`
    /// that are not being delivered (accepted, rejected or error), and of their attempts
    /// and status comments; counts, states, stages and money stay. The number anonymised.
    func anonymise(receivedBefore: Double, now: Double, limit: Int) async throws(StoreError) -> Int
}

/// An amount of money in one currency.
public struct Amount: Sendable, Equatable {
    public var value: Decimal
    /// ISO 4217; `XXX` ("no currency") when the network gave none.
    public var currency: String

    public init(value: Decimal, currency: String) {
        self.value = value
        self.currency = currency
    }
}

/// One lead as the reports show it.
public struct ReportedLead: Sendable, Equatable {
    /// The store's order of arrival (what the cursor holds).
    public var seq: Int64
    public var id: String
    public var offerID: String
    public var affiliateID: String?
    /// The lead's fields, the sealed password left out.
    public var fields: [String: JSONValue]
    public var state: LeadReportFilter.State
    public var outcome: Outcome?
    public var stage: StatusUpdate.Stage?
    public var isTest: Bool
    public var sentAgain: Bool
    public var receivedAt: Double
    public var updatedAt: Double
    /// When the retention period anonymised it; nil: not.
    public var anonymisedAt: Double?
    /// Its attempts, and the route and integration of the last one.
    public var attempts: Int
    public var routeID: Int64?
    public var integration: String?
    /// What the buyer pays, from the status history: while the lead's stage is `approve`,
    /// the amount of the newest applied `approve` update that carried one.
    public var revenue: Amount?

    public init(
        seq: Int64, id: String, offerID: String, affiliateID: String?, fields: [String: JSONValue], state: LeadReportFilter.State,
        outcome: Outcome?, stage: StatusUpdate.Stage?, isTest: Bool, sentAgain: Bool, receivedAt: Double, updatedAt: Double,
        anonymisedAt: Double?, attempts: Int, routeID: Int64?, integration: String?, revenue: Amount?
    ) {
        self.seq = seq
        self.id = id
        self.offerID = offerID
        self.affiliateID = affiliateID
        self.fields = fields
        self.state = state
        self.outcome = outcome
        self.stage = stage
        self.isTest = isTest
        self.sentAgain = sentAgain
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
        self.anonymisedAt = anonymisedAt
        self.attempts = attempts
        self.routeID = routeID
        self.integration = integration
        self.revenue = revenue
    }
}

/// How many leads of one UTC day and offer share a state, reason, stage, "sent" and "test".
public struct SummaryCount: Sendable, Equatable {
    /// `2026-12-07` (UTC, when the lead was received).
    public var day: String
    public var offerID: String
    public var state: LeadReportFilter.State
    public var reason: String?
    public var stage: StatusUpdate.Stage?
    /// Whether the leads went to a buyer (an attempt through a route).
    public var sent: Bool
    public var leads: Int
    /// Whether they are test leads (only with `include_test`): counted, never paid.
    public var isTest: Bool

    public init(
        day: String, offerID: String, state: LeadReportFilter.State, reason: String?, stage: StatusUpdate.Stage?, sent: Bool,
        leads: Int, isTest: Bool = false
    ) {
        self.isTest = isTest
        self.day = day
        self.offerID = offerID
        self.state = state
        self.reason = reason
        self.stage = stage
        self.sent = sent
        self.leads = leads
    }
}

/// The buyer revenue of one approved lead, by UTC day and offer.
public struct SummaryRevenue: Sendable, Equatable {
    public var day: String
    public var offerID: String
    public var amount: Amount

    public init(day: String, offerID: String, amount: Amount) {
        self.day = day
        self.offerID = offerID
        self.amount = amount
    }
}
