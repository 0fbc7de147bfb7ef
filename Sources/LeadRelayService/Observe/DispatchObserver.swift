import IntegrationRuntime

/// Told of every attempt the dispatcher wrote back (metrics, the log).
public protocol DispatchObserver: Sendable {
    /// `record` and its lead's new state were written.
    func attemptWritten(_ record: AttemptRecord, state: DeliveryState)
}
