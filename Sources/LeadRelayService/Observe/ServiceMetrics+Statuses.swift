import CoreMetrics
import IntegrationRuntime

extension ServiceMetrics {
    /// A status run (or one postback, `source` `.postback`) ended: each check's outcome,
    /// its updates by what became of them, and the stages leads reached.
    public func statusRun(_ run: StatusRun, source: StatusSource? = nil) {
        let integration = run.integration
        for check in run.checks {
            let name = source?.rawValue ?? check.check.rawValue
            Counter(
                label: "leadrelay_status_checks_total",
                dimensions: [("integration", integration), ("check", name), ("outcome", check.failure?.kind.rawValue ?? "ok")],
                factory: factory
            ).increment()
            let recording = check.recording
            for (result, count) in [
                ("stored", recording.stored), ("duplicate", recording.duplicates), ("unknown", recording.unknown.count),
            ]
            where count > 0 {
                Counter(
                    label: "leadrelay_status_updates_total",
                    dimensions: [("integration", integration), ("source", name), ("result", result)], factory: factory
                ).increment(by: count)
            }
            for change in recording.changes {
                Counter(
                    label: "leadrelay_stage_changes_total", dimensions: [("integration", integration), ("stage", change.to.rawValue)],
                    factory: factory
                ).increment()
            }
        }
    }
}
