import IntegrationRuntime
import Synchronization

/// A `DeliveryClock` that moves only when told to; its wake-ups never fire (tests drive
/// the scheduler with `runDue()` instead of waiting).
final class ManualClock: DeliveryClock {
    private let current: Mutex<Double>

    init(_ start: Double) { current = Mutex(start) }

    func now() -> Double { current.withLock { $0 } }
    func advance(by seconds: Double) { current.withLock { $0 += seconds } }
    func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void) {}
}
