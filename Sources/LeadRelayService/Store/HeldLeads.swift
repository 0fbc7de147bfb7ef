/// Which held leads (state `error`: the script failed, no route took the lead, retries ran
/// out) an operator means, for `leadrelay redeliver` and the admin API. Every field narrows;
/// none: every held lead.
public struct HeldLeads: Sendable, Equatable {
    /// The integration of the lead's last attempt.
    public var integration: String?
    public var offerID: String?
    /// Received at or after this time (epoch seconds).
    public var from: Double?
    /// Received before this time.
    public var to: Double?

    public init(integration: String? = nil, offerID: String? = nil, from: Double? = nil, to: Double? = nil) {
        self.integration = integration
        self.offerID = offerID
        self.from = from
        self.to = to
    }
}
