import Foundation
import IntegrationRuntime
import Logging

/// What the service does with each attempt written back: counts it in the metrics and logs
/// one line (lead, integration, attempt, outcome, reason, duration; never the request, the
/// answer or the buyer's message, which the stored attempt keeps masked).
struct ServiceObserver: DispatchObserver {
    let metrics: ServiceMetrics
    let logger: Logger

    func attemptWritten(_ record: AttemptRecord, state: DeliveryState) {
        metrics.attemptEnded(record)
        var metadata: Logger.Metadata = [
            "lead": "\(record.leadID)", "integration": "\(record.integration)", "attempt": "\(record.number)",
            "outcome": "\(record.outcome.kind.rawValue)", "state": "\(state)",
            "seconds": "\(String(format: "%.3f", max(0, record.endedAt - record.startedAt)))",
        ]
        if let reason = record.outcome.reason { metadata["reason"] = "\(reason.rawValue)" }
        if record.sentAgain { metadata["sent_again"] = "true" }
        logger.info("attempt", metadata: metadata)
    }
}
