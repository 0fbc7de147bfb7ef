/// A lead an emulator accepted: what was sent, when, and its planned status timeline.
public struct EmulatedLead: Sendable, Hashable {
    /// The emulator that holds it.
    public var network: EmulatedNetwork
    /// The network's id for it (Clixnow and AlterCPA: a number; IREV: a UUID; Trackbox:
    /// a hex uniqueid).
    public var id: String
    /// The duplicate-detection key, lower-cased: the email (AlterCPA: the phone).
    public var email: String
    /// Every scalar field of the request, as text.
    public var fields: [String: String]
    /// Registration time, seconds since the epoch (emulator clock).
    public var createdAt: Double
    /// The lead's planned life.
    public var timeline: StatusTimeline
    /// Index of the last timeline step a postback was sent (or skipped) for.
    public var notifiedStep: Int = 0

    /// State at `now`.
    public func state(at now: Double) -> LeadState { timeline.state(after: now - createdAt) }

    /// Time (epoch seconds) the state in force at `now` began.
    public func stateSince(at now: Double) -> Double { createdAt + timeline.since(after: now - createdAt) }

    /// Time of the first deposit, if the lead has deposited by `now`.
    public func depositedAt(_ now: Double) -> Double? {
        for step in timeline.steps where step.state == .deposited && createdAt + step.after <= now {
            return createdAt + step.after
        }
        return nil
    }
}
