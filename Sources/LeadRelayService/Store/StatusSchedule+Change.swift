import IntegrationRuntime

/// What ops change of a route's status schedule: each field given replaces the one of the
/// schedule it is laid over, each absent one keeps it. A new route's schedule is the change
/// laid over the defaults; an edited route's, over its schedule as stored.
///
///     let edited = StatusScheduleChange(intervalSeconds: 300).applied(to: route.status)
public struct StatusScheduleChange: Sendable, Equatable {
    public var checks: Set<StatusCheck>?
    public var intervalSeconds: Double?
    public var windowSeconds: Double?
    public var rangeSeconds: Double?

    public init(checks: Set<StatusCheck>? = nil, intervalSeconds: Double? = nil, windowSeconds: Double? = nil, rangeSeconds: Double? = nil)
    {
        self.checks = checks
        self.intervalSeconds = intervalSeconds
        self.windowSeconds = windowSeconds
        self.rangeSeconds = rangeSeconds
    }

    /// Nothing to change.
    public var isEmpty: Bool { checks == nil && intervalSeconds == nil && windowSeconds == nil && rangeSeconds == nil }

    /// `schedule` with the given fields replaced (not checked: see `StatusSchedule.problem`).
    public func applied(to schedule: StatusSchedule) -> StatusSchedule {
        var changed = schedule
        if let checks { changed.checks = checks }
        if let intervalSeconds { changed.intervalSeconds = intervalSeconds }
        if let windowSeconds { changed.windowSeconds = windowSeconds }
        if let rangeSeconds { changed.rangeSeconds = rangeSeconds }
        return changed
    }
}
