import Logging

/// The log lines of a status run: one `info` line per check with its counts, a `warning`
/// for updates that match no lead of the route (with up to five of their ids) and for a
/// check that failed. Never the request or the answer.
enum StatusLog {
    /// - Parameter source: names the checks (`postback`); default: each check's name.
    static func log(_ run: StatusRun, source: StatusSource? = nil, to logger: Logger) {
        for check in run.checks {
            let name = source?.rawValue ?? check.check.rawValue
            var metadata: Logger.Metadata = [
                "route": "\(run.routeID)", "integration": "\(run.integration)", "check": "\(name)",
                "calls": "\(check.calls)", "leads": "\(check.leads)", "stored": "\(check.recording.stored)",
                "duplicates": "\(check.recording.duplicates)", "changes": "\(check.recording.changes.count)",
                "unknown": "\(check.recording.unknown.count)",
            ]
            logger.info("status check", metadata: metadata)
            if !check.recording.unknown.isEmpty {
                metadata["ids"] = "\(check.recording.unknown.prefix(5).joined(separator: ","))"
                logger.warning("status updates for leads the route did not accept", metadata: metadata)
            }
            if let failure = check.failure {
                logger.warning(
                    "status check failed; it runs again at the route's next interval",
                    metadata: [
                        "route": "\(run.routeID)", "integration": "\(run.integration)", "check": "\(name)",
                        "outcome": "\(failure.kind.rawValue)", "reason": "\(failure.reason?.rawValue ?? "")",
                        "message": "\(failure.message ?? "")",
                    ])
            }
        }
    }
}
