/// Where an emulated lead is in its life at the network. Each emulator renders these in
/// its own vocabulary (Clixnow "No Answer", IREV goal "FTD", AlterCPA stage "approve"...).
public enum LeadState: String, Sendable, Hashable, CaseIterable {
    /// Just registered.
    case new
    /// The call centre called and nobody answered.
    case noAnswer = "no_answer"
    /// The lead made a first deposit (or, for AlterCPA, the order was approved).
    case deposited
    /// The lead turned the offer down.
    case rejected
}

/// A lead's planned life: each step is a state and the number of seconds after
/// registration from which it holds. A value type: `state(after:)` has no I/O.
///
/// ```swift
/// let timeline = StatusTimeline.standard   // new -> no answer (60 s) -> deposited (180 s)
/// timeline.state(after: 90)                // .noAnswer
/// ```
public struct StatusTimeline: Sendable, Hashable {
    /// One step: `state` holds from `after` seconds past registration on.
    public struct Step: Sendable, Hashable {
        public var state: LeadState
        public var after: Double
        public init(_ state: LeadState, after: Double) {
            self.state = state
            self.after = after
        }
    }

    /// Steps sorted by `after`; the first always starts at 0.
    public private(set) var steps: [Step]

    /// Builds a timeline; steps are sorted by time, and a `new` step at 0 is added when
    /// no step starts at 0.
    public init(_ steps: [Step]) {
        var sorted = steps.sorted { $0.after < $1.after }
        if sorted.first.map({ $0.after > 0 }) ?? true {
            sorted.insert(Step(.new, after: 0), at: 0)
        }
        self.steps = sorted
    }

    /// new at once, no answer after one minute, deposited after three.
    public static let standard = StatusTimeline([
        Step(.new, after: 0), Step(.noAnswer, after: 60), Step(.deposited, after: 180),
    ])

    /// new at once, no answer after one minute, rejected after three: the path of a lead
    /// whose email contains "+reject" (see docs/emulators.md).
    public static let rejecting = StatusTimeline([
        Step(.new, after: 0), Step(.noAnswer, after: 60), Step(.rejected, after: 180),
    ])

    /// The state `elapsed` seconds after registration.
    public func state(after elapsed: Double) -> LeadState {
        stepIndex(after: elapsed).map { steps[$0].state } ?? .new
    }

    /// Index of the step in force `elapsed` seconds after registration.
    public func stepIndex(after elapsed: Double) -> Int? {
        var found: Int?
        for (index, step) in steps.enumerated() where step.after <= elapsed { found = index }
        return found
    }

    /// When (seconds after registration) the step in force began.
    public func since(after elapsed: Double) -> Double {
        stepIndex(after: elapsed).map { steps[$0].after } ?? 0
    }
}
