import IntegrationRuntime
import Synchronization

/// The pause of a loop between rounds (the dispatcher's claim loop, the status scheduler's
/// tick): it sleeps until a time on a `DeliveryClock`, or until `wake()` or `stop()`. A wake
/// that comes while nobody waits is kept, so the next `wait` returns at once and a wake
/// between two rounds is never lost; after `stop()` every wait returns at once.
///
///     let pause = WakeableWait()
///     while !stopping { work(); await pause.wait(until: clock.now() + 0.25, on: clock) }
///     // elsewhere: pause.wake() (new work), pause.stop() (shutting down)
final class WakeableWait: Sendable {
    private struct State {
        var waiter: CheckedContinuation<Void, Never>?
        /// A wake that came while nobody waited.
        var woken = false
        var stopped = false
    }

    private let state = Mutex(State())

    /// Returns at `deadline` on `clock`, or sooner when woken or stopped.
    func wait(until deadline: Double, on clock: any DeliveryClock) async {
        clock.wake(at: deadline) { [weak self] in self?.wake() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.stopped || s.woken {
                    s.woken = false
                    return true
                }
                s.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Ends the wait under way, or the next one when nobody waits.
    func wake() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.woken = true
                return nil
            }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Ends the wait under way and every later one.
    func stop() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.stopped = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }
}
