import IntegrationRuntime
import Synchronization

/// The delivery engine's events on their way to the dispatcher's writer, taken all at once:
/// what arrived while the writer was writing the last batch is its next batch, so one
/// transaction (one `fsync`) writes back many attempts under load, and one alone when quiet.
/// Order is kept.
final class DeliveryEventQueue: Sendable {
    private struct State {
        var events: [DeliveryEvent] = []
        var taker: CheckedContinuation<[DeliveryEvent], Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Adds `event` (the engine's callback; never blocks). Ignored after `finish`.
    func append(_ event: DeliveryEvent) {
        let handOver = state.withLock { s -> (CheckedContinuation<[DeliveryEvent], Never>, [DeliveryEvent])? in
            guard !s.finished else { return nil }
            s.events.append(event)
            guard let taker = s.taker else { return nil }
            s.taker = nil
            defer { s.events = [] }
            return (taker, s.events)
        }
        if let (taker, events) = handOver { taker.resume(returning: events) }
    }

    /// No events after this; `next` answers what is left, then nil.
    func finish() {
        let taker = state.withLock { s -> CheckedContinuation<[DeliveryEvent], Never>? in
            s.finished = true
            defer { s.taker = nil }
            return s.taker
        }
        taker?.resume(returning: [])
    }

    /// Every event queued, oldest first, waiting for one if none is; nil once finished and
    /// empty. One caller at a time.
    func next() async -> [DeliveryEvent]? {
        let events = await withCheckedContinuation { (continuation: CheckedContinuation<[DeliveryEvent], Never>) in
            let ready = state.withLock { s -> [DeliveryEvent]? in
                if !s.events.isEmpty || s.finished {
                    defer { s.events = [] }
                    return s.events
                }
                s.taker = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return events.isEmpty ? nil : events
    }
}
