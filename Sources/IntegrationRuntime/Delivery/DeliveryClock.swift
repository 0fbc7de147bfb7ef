import Dispatch
import Foundation

/// The delivery engine's time: reading it and being woken at a given moment. Injected so tests can
/// move time by hand.
public protocol DeliveryClock: Sendable {
    /// Epoch seconds (the times in `DeliveryState.retry(at:)` are on this clock).
    func now() -> Double
    /// Calls `body` once, on any thread, at `deadline` or soon after (never before).
    func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void)
}

/// Wall-clock time, with wake-ups from a Dispatch timer.
public struct SystemDeliveryClock: DeliveryClock {
    private let queue = DispatchQueue(label: "leadrelay.delivery-clock")

    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 }

    public func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void) {
        let nanos = Int(max(0, deadline - now()) * 1e9) + 1000
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanos), execute: body)
    }
}
