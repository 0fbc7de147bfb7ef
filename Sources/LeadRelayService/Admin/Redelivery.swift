import Foundation
import LeadJSON

/// Redelivering held leads (state `error`), for `leadrelay redeliver` and the admin API:
/// the leads are due again at once and the running service's dispatcher sends them, each
/// as its next attempt through its offer's routes as they are now.
public struct Redelivery: Sendable {
    let store: any LeadStore
    let clock: @Sendable () -> Double

    public init(store: any LeadStore, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.clock = clock
    }

    /// The held leads `which` names; with `dryRun` nothing changes.
    public func run(_ which: HeldLeads, dryRun: Bool) async throws(AdminError) -> [String] {
        do {
            return dryRun ? try await store.held(which) : try await store.redeliver(which, now: clock())
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

    /// The answer both the CLI (`--format json`) and the API give.
    public static func json(_ ids: [String], dryRun: Bool) -> JSONValue {
        .object(["leads": .array(ids.map(JSONValue.string)), "count": .integer(Int64(ids.count)), "dry_run": .bool(dryRun)])
    }
}
