/// One call submitted to a pool, from its submission to its completion: the input, who
/// waits for the result, and, once started, the instance and pending call it runs on.
/// Touched by its worker's thread; other threads only carry it to the worker's queue.
final class CallTicket: @unchecked Sendable {
    let input: CallInput
    let completion: @Sendable (CallResult) -> Void
    /// The instance the call started on; it finishes there even if a reload swaps in a
    /// new version meanwhile.
    var instance: IntegrationInstance?
    var call: PendingCall?

    init(input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
        self.input = input
        self.completion = completion
    }

    var id: ObjectIdentifier { ObjectIdentifier(self) }
}
