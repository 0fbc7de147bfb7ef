/// One lead to deliver: which lead, through which integration, with which call input.
///
/// The delivery engine sets `input.attempt` and `input.now` for each try; everything else in
/// `input` (action, lead, offer, params) is sent as given.
public struct DeliveryJob: Sendable {
    public var leadID: String
    public var runner: any CallRunner
    public var input: CallInput
    public var target: DeliveryTarget

    public init(leadID: String, runner: any CallRunner, input: CallInput, target: DeliveryTarget) {
        self.leadID = leadID
        self.runner = runner
        self.input = input
        self.target = target
    }

    /// A job through `pool`, its target the pool's integration and the input's offer.
    public init(leadID: String, pool: IntegrationPool, input: CallInput) {
        self.init(leadID: leadID, runner: pool, input: input,
                  target: DeliveryTarget(integration: pool.name, offer: input.offer.id))
    }
}
