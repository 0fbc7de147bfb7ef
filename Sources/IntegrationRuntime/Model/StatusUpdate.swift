import Host
import LeadJSON

/// One status change reported by a status check or a postback (contract, section 3).
public struct StatusUpdate: Sendable, Equatable {
    /// Where the lead stands: `wait` (processing), `hold`, `approve`, `cancel`, `trash`.
    public enum Stage: String, Sendable, CaseIterable {
        case wait, hold, approve, cancel, trash
    }

    /// The network's id of the lead (the `external_id` of its delivery). An update names
    /// its lead by this, by `leadID`, or by both.
    public var externalID: String?
    /// LeadRelay's own id of the lead, for networks that echo it back (a script extension
    /// of the contract: `lead_id` in an update).
    public var leadID: String?
    public var stage: Stage
    /// The network's own word for the status.
    public var status: String?
    public var comment: String?
    public var amount: Double?
    public var currency: String?
    /// ISO 8601 UTC.
    public var at: String?
    /// Fields the script set beyond the known ones, kept as they were.
    public var fields: [String: JSONValue]

    public init(
        externalID: String?, leadID: String? = nil, stage: Stage, status: String? = nil, comment: String? = nil,
        amount: Double? = nil, currency: String? = nil, at: String? = nil, fields: [String: JSONValue] = [:]
    ) {
        self.externalID = externalID
        self.leadID = leadID
        self.stage = stage
        self.status = status
        self.comment = comment
        self.amount = amount
        self.currency = currency
        self.at = at
        self.fields = fields
    }

    /// The update as a JSON object, as fixtures write it.
    public var json: JSONValue { .object(fields) }
}
