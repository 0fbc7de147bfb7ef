import Foundation
import Synchronization

/// Whether the service is live (the process answers) and ready (it can take leads: the
/// store answers, at least one integration is loaded, and it is not stopping). A load
/// balancer stops sending leads to a process that is not ready; an orchestrator restarts
/// one that is not live.
public final class ServiceHealth: Sendable {
    private let store: any LeadStore
    private let integrations: @Sendable () -> Int
    private let stopping = Atomic<Bool>(false)

    /// `integrations`: how many integrations are loaded now.
    public init(store: any LeadStore, integrations: @escaping @Sendable () -> Int) {
        self.store = store
        self.integrations = integrations
    }

    /// The service is stopping (SIGTERM): not ready any more, still live.
    public func markStopping() { stopping.store(true, ordering: .relaxed) }

    /// Each check with its state ("ok" or what is wrong), and whether all are ok.
    public func readiness() async -> (ready: Bool, checks: [String: String]) {
        var checks: [String: String] = [:]
        do {
            _ = try await store.backlog(now: Date().timeIntervalSince1970)
            checks["store"] = "ok"
        } catch {
            checks["store"] = "unavailable: \(error)"
        }
        let loaded = integrations()
        checks["integrations"] = loaded > 0 ? "ok" : "none loaded: check integrations.directory and the log for load errors"
        checks["stopping"] = stopping.load(ordering: .relaxed) ? "the service is stopping" : "ok"
        return (checks.values.allSatisfy { $0 == "ok" }, checks)
    }
}
