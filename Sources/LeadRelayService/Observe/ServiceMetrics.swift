import CoreMetrics
import Foundation
import IntegrationRuntime
import Prometheus
import Synchronization

/// The service's metrics, through swift-metrics into a Prometheus registry of its own (so
/// that two services in one process, as in tests, never mix their counts), rendered at
/// `/metrics` in Prometheus' text format:
///
/// | metric | kind | labels |
/// |--------|------|--------|
/// | `leadrelay_leads_received_total` | counter | `status`: the intake's HTTP answer (202, 401, 422, ...) |
/// | `leadrelay_attempts_total` | counter | `integration`, `outcome` (accepted, rejected, retry, error), `reason` |
/// | `leadrelay_attempt_duration_seconds` | histogram | `integration` |
/// | `leadrelay_leads_waiting` | gauge | `state`: due, scheduled, sending (the queue depth) |
/// | `leadrelay_circuits_open` | gauge | `integration`: targets whose circuit is open or half-open |
/// | `leadrelay_integrations_loaded` | gauge | none |
/// | `leadrelay_status_checks_total` | counter | `integration`, `check` (processing, approved, range, postback), `outcome` (ok, retry, rejected, error) |
/// | `leadrelay_status_updates_total` | counter | `integration`, `source`, `result` (stored, duplicate, unknown) |
/// | `leadrelay_stage_changes_total` | counter | `integration`, `stage`: leads that reached it |
/// | `leadrelay_affiliate_postbacks_total` | counter | `event` (accepted, rejected, stage, test), `result` (sent, retry, failed) |
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    /// Integrations reported with an open circuit at the last scrape, set back to 0 once closed.
    private let reportedCircuits = Mutex<Set<String>>([])

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
    }

    /// The intake answered a `POST /api/v1/leads` with `status`.
    public func leadReceived(status: Int) {
        Counter(label: "leadrelay_leads_received_total", dimensions: [("status", String(status))], factory: factory).increment()
    }

    /// An attempt ended and was written with its lead's new state.
    public func attemptEnded(_ record: AttemptRecord) {
        let integration = record.integration.isEmpty ? "none" : record.integration
        let dimensions = [
            ("integration", integration), ("outcome", record.outcome.kind.rawValue), ("reason", record.outcome.reason?.rawValue ?? ""),
        ]
        Counter(label: "leadrelay_attempts_total", dimensions: dimensions, factory: factory).increment()
        let seconds = max(0, record.endedAt - record.startedAt)
        Timer(label: "leadrelay_attempt_duration_seconds", dimensions: [("integration", integration)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// The text `/metrics` answers, with the gauges set from `backlog`, the open circuits and
    /// the number of integrations loaded.
    public func render(backlog: LeadBacklog?, openCircuits: [DeliveryTarget], integrations: Int) -> String {
        if let backlog {
            for (state, count) in [("due", backlog.due), ("scheduled", backlog.scheduled), ("sending", backlog.sending)] {
                Gauge(label: "leadrelay_leads_waiting", dimensions: [("state", state)], factory: factory).record(count)
            }
        }
        var open: [String: Int] = [:]
        for target in openCircuits { open[target.integration, default: 0] += 1 }
        let closed = reportedCircuits.withLock { reported in
            defer { reported = Set(open.keys) }
            return reported.subtracting(open.keys)
        }
        for (integration, count) in open {
            Gauge(label: "leadrelay_circuits_open", dimensions: [("integration", integration)], factory: factory).record(count)
        }
        for integration in closed {
            Gauge(label: "leadrelay_circuits_open", dimensions: [("integration", integration)], factory: factory).record(0)
        }
        Gauge(label: "leadrelay_integrations_loaded", factory: factory).record(integrations)
        return registry.emitToString()
    }
}
