import Foundation
import LeadJSON

/// Redelivering held leads and held changes of delivered leads (state `error`), for
/// `leadrelay redeliver` and the admin API: they are due again at once and the running
/// service's dispatchers send them, a lead through its offer's routes as they are now, a
/// change to its one route, each as its next attempt.
public struct Redelivery: Sendable {
    let store: any LeadStore & ChangeStore
    let clock: @Sendable () -> Double

    public init(store: any LeadStore & ChangeStore, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.clock = clock
    }

    /// What a run named: the held leads' ids and the held changes, each oldest first.
    public struct Named: Sendable, Equatable {
        public var leads: [String]
        public var changes: [HeldChange]

        public init(leads: [String], changes: [HeldChange]) {
            self.leads = leads
            self.changes = changes
        }
    }

    /// The held leads and changes `which` names; with `dryRun` nothing changes.
    public func run(_ which: HeldLeads, dryRun: Bool) async throws(AdminError) -> Named {
        do {
            if dryRun { return Named(leads: try await store.held(which), changes: try await store.heldChanges(which)) }
            let now = clock()
            return Named(leads: try await store.redeliver(which, now: now), changes: try await store.redeliverChanges(which, now: now))
        } catch {
            throw .store(error)
        }
    }

    /// A time given as ISO 8601 (`2026-12-07T10:00:00Z`) or a UTC day (`2026-12-07`).
    public static func time(_ text: String, field: String) throws(AdminError) -> Double {
        if let date = ISO8601DateFormatter().date(from: text) { return date.timeIntervalSince1970 }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date.timeIntervalSince1970 }
        throw .invalid(field: field, detail: "\"\(text)\" is not a time such as 2026-12-07T10:00:00Z or a day such as 2026-12-07")
    }

    /// The answer both the CLI (`--format json`) and the API give: `leads` and `count` (the
    /// leads'), `changes` (`{"id", "lead_id", "action"}`) and `change_count`, `dry_run`.
    public static func json(_ named: Named, dryRun: Bool) -> JSONValue {
        .object([
            "leads": .array(named.leads.map(JSONValue.string)), "count": .integer(Int64(named.leads.count)),
            "changes": .array(named.changes.map(\.json)), "change_count": .integer(Int64(named.changes.count)),
            "dry_run": .bool(dryRun),
        ])
    }
}
