import IntegrationRuntime
import LeadJSON

/// A lead as the intake hands it to the store: on disk before the affiliate is answered.
public struct NewLead: Sendable {
    /// The offer it was posted for.
    public var offerID: String
    /// The affiliate whose key posted it; nil for leads an operator created.
    public var affiliateID: String?
    /// The lead's fields as the script contract names them (`first_name`, `email`, ...), and
    /// what the intake did not know under `extra`.
    public var fields: JSONValue
    /// The e-mail address and phone number as the duplicate check compares them
    /// (lowercased; digits only), when the lead has them.
    public var duplicateEmail: String?
    public var duplicatePhone: String?
    /// The affiliate's `Idempotency-Key` and a digest of the request body it came with.
    public var idempotency: Idempotency?
    /// A test lead (the offer's test window): kept out of reports unless asked for.
    public var isTest: Bool
    /// Set when the intake's own checks refuse the lead (a duplicate): it is stored already
    /// `rejected` with this outcome, and never sent.
    public var rejection: Outcome?
    /// The duplicate check, made by the store in the insert's own transaction: when set (and
    /// `rejection` is nil), a lead of the same offer with the same `duplicateEmail` or
    /// `duplicatePhone` received at or after this time makes this one `rejected` with
    /// `NewLead.duplicate`. Two posts at the same moment cannot both pass it.
    public var duplicateSince: Double?

    /// The outcome of a lead refused by the duplicate check.
    public static let duplicate = Outcome(
        .rejected, reason: .duplicate, message: "a lead with this email or phone came for this offer within its duplicate window")
    /// When the intake received it (epoch seconds).
    public var receivedAt: Double
    /// What delivering it runs: `push` (the default) or `register` (synchronous registration:
    /// the routes' `register` action, routes whose script has none skipped).
    public var action: Action = .push

    /// An `Idempotency-Key` with the digest of the body it was first sent with.
    public struct Idempotency: Sendable, Equatable {
        public var key: String
        public var bodyDigest: String

        public init(key: String, bodyDigest: String) {
            self.key = key
            self.bodyDigest = bodyDigest
        }
    }

    public init(
        offerID: String, affiliateID: String? = nil, fields: JSONValue, duplicateEmail: String? = nil,
        duplicatePhone: String? = nil, idempotency: Idempotency? = nil, isTest: Bool = false, rejection: Outcome? = nil,
        duplicateSince: Double? = nil, receivedAt: Double
    ) {
        self.offerID = offerID
        self.affiliateID = affiliateID
        self.fields = fields
        self.duplicateEmail = duplicateEmail
        self.duplicatePhone = duplicatePhone
        self.idempotency = idempotency
        self.isTest = isTest
        self.rejection = rejection
        self.duplicateSince = duplicateSince
        self.receivedAt = receivedAt
    }
}
