/// One lead to deliver: which lead, through which integration, with which call input.
///
/// The delivery engine sets `input.attempt` and `input.now` for each try; everything else in
/// `input` (action, lead, offer, params) is sent as given.
public struct DeliveryJob: Sendable {
    public var leadID: String
    public var runner: any CallRunner
    public var input: CallInput
    public var target: DeliveryTarget
    /// The attempt this submission starts with: 1 for a new lead; more for a lead whose
    /// earlier attempts ended `retry` (one a store hands back when due). Its delivery starts
    /// in `retry(at: now, attempt:)`, so `maxAttempts` counts the earlier ones too.
    public var attempt: Int

    public init(leadID: String, runner: any CallRunner, input: CallInput, target: DeliveryTarget, attempt: Int = 1) {
        self.leadID = leadID
        self.runner = runner
        self.input = input
        self.target = target
        self.attempt = max(1, attempt)
    }

    /// A job through `pool`, its target the pool's integration and the input's offer.
    public init(leadID: String, pool: IntegrationPool, input: CallInput) {
        self.init(
            leadID: leadID, runner: pool, input: input,
            target: DeliveryTarget(integration: pool.name, offer: input.offer.id))
    }
}
