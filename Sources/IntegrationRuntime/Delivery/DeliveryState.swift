/// Where one lead's delivery to one offer stands (ARCHITECTURE.md, outbox):
///
/// ```
/// pending --send--> sending(1) --accept--> accepted
///    |                 |--------reject--> rejected
///    |                 |--------fail----> error
///    |                 +--retry(at:)----> retry(at:, attempt: 2) --send--> sending(2) ...
///    +--hold(until:)--> retry(at: until, attempt: 1)     (circuit open: not an attempt)
/// ```
///
/// `accepted`, `rejected` and `error` are final. `attempt` in `sending` is the try under
/// way, in `retry` the next one. A transition the diagram does not have is a
/// `DeliveryTransitionError`, never a crash, so a bug in the delivery engine or a corrupt stored row
/// shows up as an error with both states named.
public enum DeliveryState: Sendable, Hashable, CustomStringConvertible {
    case pending
    case sending(attempt: Int)
    case accepted
    case rejected
    /// Scheduled: attempt `attempt` starts at `at` (epoch seconds) or later.
    case retry(at: Double, attempt: Int)
    /// The lead is kept for redelivery once the cause (script, network) is fixed.
    case error

    /// What happens to a delivery.
    public enum Event: Sendable, Equatable, CustomStringConvertible {
        /// An attempt starts.
        case send
        case accept
        case reject
        /// The attempt failed for good (script error, attempts exhausted) or the delivery engine stopped.
        case fail
        /// The attempt ended `retry`: the next one is due at `at`.
        case retry(at: Double)
        /// The target's circuit is open: the next attempt waits until `until`.
        case hold(until: Double)

        public var description: String {
            switch self {
            case .send: return "send"
            case .accept: return "accept"
            case .reject: return "reject"
            case .fail: return "fail"
            case .retry(let at): return "retry at \(at)"
            case .hold(let until): return "hold until \(until)"
            }
        }
    }

    public var isFinal: Bool {
        switch self {
        case .accepted, .rejected, .error: return true
        case .pending, .sending, .retry: return false
        }
    }

    /// The state after `event`, or an error naming both when the diagram has no such arrow.
    public func applying(_ event: Event) throws(DeliveryTransitionError) -> DeliveryState {
        switch (self, event) {
        case (.pending, .send): return .sending(attempt: 1)
        case (.retry(_, let attempt), .send): return .sending(attempt: attempt)
        case (.sending, .accept): return .accepted
        case (.sending, .reject): return .rejected
        case (.sending(let attempt), .retry(let at)): return .retry(at: at, attempt: attempt + 1)
        case (.pending, .hold(let until)): return .retry(at: until, attempt: 1)
        case (.retry(_, let attempt), .hold(let until)): return .retry(at: until, attempt: attempt)
        case (.pending, .fail), (.sending, .fail), (.retry, .fail): return .error
        default: throw DeliveryTransitionError(from: self, event: event)
        }
    }

    /// Applies `event` in place.
    public mutating func apply(_ event: Event) throws(DeliveryTransitionError) {
        self = try applying(event)
    }

    public var description: String {
        switch self {
        case .pending: return "pending"
        case .sending(let attempt): return "sending (attempt \(attempt))"
        case .accepted: return "accepted"
        case .rejected: return "rejected"
        case .retry(let at, let attempt): return "retry (attempt \(attempt) at \(at))"
        case .error: return "error"
        }
    }
}

/// A delivery event that is not allowed in the delivery's state.
public struct DeliveryTransitionError: Error, Equatable, CustomStringConvertible {
    public var from: DeliveryState
    public var event: DeliveryState.Event

    public var description: String {
        from.isFinal
            ? "a delivery already \(from) is final and cannot \(event); submit the lead again to redeliver it"
            : "a delivery in state \(from) cannot \(event)"
    }
}
