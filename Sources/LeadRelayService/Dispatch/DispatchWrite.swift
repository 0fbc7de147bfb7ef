import Foundation
import IntegrationRuntime
import LeadJSON

/// What one delivery event means for the store, decided with no I/O: the dispatcher's
/// writer keeps one `DispatchLedger` for the leads it claimed and asks it per event.
enum DispatchWrite: Equatable {
    /// Nothing to write (the engine took the lead, an attempt started).
    case none
    /// An attempt ended: record it with the lead's new state (final, or `retry`).
    case complete(AttemptRecord, DeliveryState)
    /// The lead met an open circuit before its attempt: due again at `dueAt`.
    case release(leadID: String, dueAt: Double)
}

/// The leads a dispatcher claimed and has not written back, with what it knows of each.
struct DispatchLedger {
    struct Entry {
        var integration: String
        /// The stored route it goes through, if any.
        var routeID: Int64?
        /// Rejection reasons that send it on to the offer's next route.
        var fallThrough: Set<Outcome.Reason> = []
        /// Where its route's day started when it was routed (the route has a daily cap).
        var capDay: Double?
        /// Values no report shows (the lead's sensitive fields), with their names.
        var hidden: [(name: String, value: String)] = []
        /// Set when its attempt started (the engine's `sending`).
        var startedAt: Double?
        /// Whether the engine's first report (its `pending`, or `retry` for a later attempt) came.
        var submitted = false
    }

    private(set) var entries: [String: Entry] = [:]
    /// This dispatcher run's id, stored on its attempts (`LocalRouteLoad`).
    let run: String
    /// Leads capped routes accepted from this run, by route and the day they counted in.
    private(set) var accepted: [RouteDay: Int] = [:]

    struct RouteDay: Hashable {
        var route: Int64
        var day: Double
    }

    init(run: String = "run-" + UUID().uuidString.lowercased()) { self.run = run }

    var count: Int { entries.count }

    mutating func claimed(
        _ leadID: String, integration: String, routeID: Int64? = nil, fallThrough: Set<Outcome.Reason> = [], capDay: Double? = nil,
        hiding hidden: [(name: String, value: String)] = []
    ) {
        entries[leadID] = Entry(integration: integration, routeID: routeID, fallThrough: fallThrough, capDay: capDay, hidden: hidden)
    }

    /// This run's load on `routeID` for its daily cap: leads being sent through it, and
    /// those it accepted from this run since `since`. An attempt moves from the first to
    /// the second at once (in `write(for:)`), so no moment counts it nowhere.
    func load(through routeID: Int64, since: Double) -> Int {
        entries.values.count { $0.routeID == routeID }
            + accepted.reduce(0) { total, item in item.key.route == routeID && item.key.day >= since ? total + item.value : total }
    }

    func holds(_ leadID: String) -> Bool { entries[leadID] != nil }

    var leadIDs: [String] { Array(entries.keys) }

    /// Drops `leadID` (handed back to the store by other means).
    mutating func forget(_ leadID: String) {
        entries[leadID] = nil
    }

    /// The write `event` asks for; the lead leaves the ledger once written back.
    mutating func write(for event: DeliveryEvent, now: Double) -> DispatchWrite {
        guard !event.late, var entry = entries[event.leadID] else { return .none }
        switch event.state {
        case .pending:
            entry.submitted = true
            entries[event.leadID] = entry
            return .none
        case .sending:
            entry.submitted = true
            entry.startedAt = now
            entries[event.leadID] = entry
            return .none
        case .retry(let at, _) where event.result == nil && entry.startedAt == nil:
            guard entry.submitted else {
                // The engine's first report of a lead at a later attempt.
                entry.submitted = true
                entries[event.leadID] = entry
                return .none
            }
            entries[event.leadID] = nil
            return .release(leadID: event.leadID, dueAt: at)
        case .rejected:
            entries[event.leadID] = nil
            let record = Self.attempt(event, entry, run: run, now: now)
            // Falls through: due again at once, for the offer's next route (routing skips
            // the routes that rejected it: the store keeps them with the attempt).
            if entry.routeID != nil, let reason = record.outcome.reason, entry.fallThrough.contains(reason) {
                return .complete(record, .retry(at: now, attempt: record.number + 1))
            }
            return .complete(record, .rejected)
        case .retry, .accepted, .error:
            entries[event.leadID] = nil
            if event.state == .accepted, let route = entry.routeID, let day = entry.capDay {
                accepted[RouteDay(route: route, day: day), default: 0] += 1
            }
            return .complete(Self.attempt(event, entry, run: run, now: now), event.state)
        }
    }

    /// The attempt `event` ended: the engine's outcome (it says why a `retry` became
    /// `error`), and the call as `CallReport.stored` renders it (secrets named, bodies cut
    /// at 64 KiB).
    static func attempt(_ event: DeliveryEvent, _ entry: Entry, run: String, now: Double) -> AttemptRecord {
        let outcome = event.outcome ?? event.result?.outcome ?? .error("the delivery ended without an outcome")
        let report = event.result.map { CallReport.stored($0, hiding: entry.hidden).encodedJSON } ?? "{}"
        return AttemptRecord(
            leadID: event.leadID, number: max(1, event.attempt), integration: entry.integration,
            startedAt: entry.startedAt ?? now, endedAt: now, outcome: outcome, encodedReport: report, routeID: entry.routeID,
            run: run)
    }
}
