/// Whether a delivery target is healthy enough to be sent leads: one per `DeliveryTarget`.
///
/// ```
/// closed --N consecutive failures--> open --cooldown over, next admit--> half-open (one probe)
///   ^                                  ^                                    |
///   +------------- probe succeeded ----|------------------------------------+
///                                      +--------- probe failed -------------+
/// ```
///
/// A value type with no clock: every transition is a function of (state, event, `now`).
/// Results of calls admitted before the circuit opened (many are in flight at once) do
/// not move an open or half-open circuit: only the probe decides. What counts as a failure
/// is `CircuitBreaker.Event(result:)`.
public struct CircuitBreaker: Sendable, Equatable {
    /// When the circuit opens and how long it stays open.
    public struct Configuration: Sendable, Equatable {
        /// Consecutive failures that open the circuit.
        public var failureThreshold: Int
        /// Seconds the circuit stays open before letting a probe through.
        public var cooldown: Double

        public init(failureThreshold: Int = 5, cooldown: Double = 30) {
            self.failureThreshold = max(1, failureThreshold)
            self.cooldown = max(0, cooldown)
        }
    }

    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: Double)
        case halfOpen(probeInFlight: Bool)
    }

    /// How an attempt through this target ended, as far as the target's health goes.
    public enum Event: Sendable, Equatable {
        /// The target answered.
        case success
        /// The target timed out, was unreachable or said it was unavailable.
        case failure
        /// Nothing learnt about the target (e.g. the script finished without a request).
        case neutral
    }

    /// Whether an attempt may start now.
    public enum Admission: Sendable, Equatable {
        case allowed
        /// Allowed as the one probe of a half-open circuit: report its end with `probe: true`.
        case probe
        /// Not now: retry at `until`, or (nil) once the probe in flight has ended.
        case wait(until: Double?)
    }

    public let configuration: Configuration
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    public init(_ configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Asks to start an attempt at `now`; an open circuit past its cooldown turns half-open
    /// and admits this attempt as its probe.
    public mutating func admit(now: Double) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until):
            guard now >= until else { return .wait(until: until) }
            state = .halfOpen(probeInFlight: true)
            return .probe
        case .halfOpen(let probeInFlight):
            if probeInFlight { return .wait(until: nil) }
            state = .halfOpen(probeInFlight: true)
            return .probe
        }
    }

    /// Records how an admitted attempt ended; `probe` says whether `admit` called it one.
    public mutating func record(_ event: Event, probe: Bool, now: Double) {
        switch (state, probe) {
        case (.closed(let failures), false):
            switch event {
            case .success: state = .closed(consecutiveFailures: 0)
            case .neutral: break
            case .failure:
                state =
                    failures + 1 >= configuration.failureThreshold
                    ? .open(until: now + configuration.cooldown) : .closed(consecutiveFailures: failures + 1)
            }
        case (.halfOpen(true), true):
            switch event {
            case .success: state = .closed(consecutiveFailures: 0)
            case .failure: state = .open(until: now + configuration.cooldown)
            case .neutral: state = .halfOpen(probeInFlight: false)
            }
        default:
            // A late result of an attempt admitted before the circuit opened, or a probe
            // whose circuit has moved on: only the current probe decides.
            break
        }
    }

    /// Whether attempts are held back at `now` (open and cooling down, or probing).
    public func isHolding(now: Double) -> Bool {
        switch state {
        case .closed: return false
        case .open(let until): return now < until
        case .halfOpen(let probeInFlight): return probeInFlight
        }
    }
}
