import IntegrationRuntime

/// Which status checks the scheduler runs for a route, and how often (issue 12, point 8).
/// A route whose script has no `status` action gets no check, whatever this says.
///
/// Defaults: the `processing` check every 10 minutes, for leads accepted in the last 30
/// days; `approved` and `range` off; a `range` check, when on, covers the last day.
///
///     var schedule = StatusSchedule()
///     schedule.checks = [.processing, .range]
///     schedule.intervalSeconds = 300
public struct StatusSchedule: Sendable, Equatable {
    /// The checks to run (contract, section 2): `processing` (accepted leads not final
    /// yet), `approved` (leads at stage `approve`, for a later cancel or trash), `range` (a
    /// time window). Empty: none.
    public var checks: Set<StatusCheck>
    /// Seconds between two runs of the route's checks.
    public var intervalSeconds: Double
    /// How long after its acceptance a lead keeps being checked (`processing`, `approved`).
    public var windowSeconds: Double
    /// The time window a `range` check covers, ending now.
    public var rangeSeconds: Double

    public static let defaultChecks: Set<StatusCheck> = [.processing]
    public static let defaultIntervalSeconds = 600.0
    public static let defaultWindowSeconds = 30 * 86_400.0
    public static let defaultRangeSeconds = 86_400.0
    /// The shortest interval a route may ask for.
    public static let minimumIntervalSeconds = 1.0

    public init(
        checks: Set<StatusCheck> = StatusSchedule.defaultChecks, intervalSeconds: Double = StatusSchedule.defaultIntervalSeconds,
        windowSeconds: Double = StatusSchedule.defaultWindowSeconds, rangeSeconds: Double = StatusSchedule.defaultRangeSeconds
    ) {
        self.checks = checks
        self.intervalSeconds = intervalSeconds
        self.windowSeconds = windowSeconds
        self.rangeSeconds = rangeSeconds
    }

    /// The checks in the order a run makes them: processing, approved, range.
    public var orderedChecks: [StatusCheck] { StatusCheck.allCases.filter(checks.contains) }

    /// What is wrong with these values, if anything (a message naming the field).
    public var problem: String? {
        if !(intervalSeconds >= Self.minimumIntervalSeconds) {
            return "status interval must be at least \(Int(Self.minimumIntervalSeconds)) s"
        }
        if !(windowSeconds > 0) { return "status window must be more than 0 s" }
        if !(rangeSeconds > 0) { return "status range must be more than 0 s" }
        return nil
    }
}
