import IntegrationRuntime

/// What one run of a route's status checks did: per check, the calls made, what was stored,
/// and the outcome of a check that failed as a whole (it is tried again at the next run).
public struct StatusRun: Sendable, Equatable {
    public var routeID: Int64
    public var integration: String
    public var checks: [Check]

    /// One check of the run.
    public struct Check: Sendable, Equatable {
        public var check: StatusCheck
        /// Calls of the script's `status` action (one per batch of leads; one for a range).
        public var calls = 0
        /// Leads asked about (`processing`, `approved`).
        public var leads = 0
        public var recording = StatusRecording()
        /// The outcome of a call that returned no updates (a `retry` the network caused, an
        /// `error` of the script): the check stopped there.
        public var failure: Outcome?

        public init(check: StatusCheck) { self.check = check }
    }

    public init(routeID: Int64, integration: String, checks: [Check] = []) {
        self.routeID = routeID
        self.integration = integration
        self.checks = checks
    }

    /// Every stage change of the run.
    public var changes: [StageChange] { checks.flatMap(\.recording.changes) }
}
