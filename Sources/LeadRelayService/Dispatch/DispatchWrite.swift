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
        /// Values no report shows (the lead's sensitive fields).
        var hidden: [String] = []
        /// Set when its attempt started (the engine's `sending`).
        var startedAt: Double?
        /// Whether the engine's first report (its `pending`, or `retry` for a later attempt) came.
        var submitted = false
    }

    private(set) var entries: [String: Entry] = [:]

    var count: Int { entries.count }

    mutating func claimed(
        _ leadID: String, integration: String, routeID: Int64? = nil, fallThrough: Set<Outcome.Reason> = [], hiding hidden: [String] = []
    ) {
        entries[leadID] = Entry(integration: integration, routeID: routeID, fallThrough: fallThrough, hidden: hidden)
    }

    /// Leads claimed through `routeID` and not written back (its daily cap counts them).
    func inFlight(through routeID: Int64) -> Int { entries.values.count { $0.routeID == routeID } }

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
            let record = Self.attempt(event, entry, now: now)
            // Falls through: due again at once, for the offer's next route (routing skips
            // the routes that rejected it: the store keeps them with the attempt).
            if entry.routeID != nil, let reason = record.outcome.reason, entry.fallThrough.contains(reason) {
                return .complete(record, .retry(at: now, attempt: record.number + 1))
            }
            return .complete(record, .rejected)
        case .retry, .accepted, .error:
            entries[event.leadID] = nil
            return .complete(Self.attempt(event, entry, now: now), event.state)
        }
    }

    /// The attempt `event` ended: the engine's outcome (it says why a `retry` became
    /// `error`), and the call masked as `CallReport` renders it.
    static func attempt(_ event: DeliveryEvent, _ entry: Entry, now: Double) -> AttemptRecord {
        let outcome = event.outcome ?? event.result?.outcome ?? .error("the delivery ended without an outcome")
        let report = event.result.map { CallReport($0, hiding: entry.hidden).json } ?? .object([:])
        return AttemptRecord(
            leadID: event.leadID, number: max(1, event.attempt), integration: entry.integration,
            startedAt: entry.startedAt ?? now, endedAt: now, outcome: outcome, report: report, routeID: entry.routeID)
    }
}
