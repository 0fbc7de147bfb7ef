/// Something that runs integration calls: an `IntegrationPool`, or a fake in tests.
public protocol CallRunner: Sendable {
    /// Runs a call; `completion` gets its result exactly once, on any thread.
    func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void)
}

extension IntegrationPool: CallRunner {}
