/// A change in one delivery's state, as the delivery engine reports it (for the outbox to persist).
public struct DeliveryEvent: Sendable {
    public var leadID: String
    public var target: DeliveryTarget
    public var state: DeliveryState
    /// The try this event is about: under way (`sending`), just ended (final states and
    /// `retry` after a try), or next (`retry` from a hold, `pending` is 0).
    public var attempt: Int
    /// The outcome that caused the change (for `error` after the last try: the delivery engine's
    /// outcome saying so, the script's last one in `result`).
    public var outcome: Outcome?
    /// The call that caused the change, with its exchanges and logs.
    public var result: CallResult?
    /// True for a result that arrived after the delivery engine had ended its attempt at the
    /// attempt timeout: `state` stays what it was; `outcome` says what the network answered.
    public var late: Bool

    public init(
        leadID: String, target: DeliveryTarget, state: DeliveryState, attempt: Int,
        outcome: Outcome? = nil, result: CallResult? = nil, late: Bool = false
    ) {
        self.leadID = leadID
        self.target = target
        self.state = state
        self.attempt = attempt
        self.outcome = outcome
        self.result = result
        self.late = late
    }
}
