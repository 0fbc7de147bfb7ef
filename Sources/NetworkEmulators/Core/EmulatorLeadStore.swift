import Synchronization

/// All emulated leads, per network, behind one lock. Handlers only take the lock for
/// short in-memory work, never across an `await`.
public final class EmulatorLeadStore: Sendable {
    private struct State {
        var leads: [EmulatedNetwork: [String: EmulatedLead]] = [:]
        var order: [EmulatedNetwork: [String]] = [:]
        var byEmail: [EmulatedNetwork: [String: String]] = [:]
        var nextNumber = 100_000
    }

    /// Why `register` refused a lead.
    public enum RegisterError: Error, Sendable, Equatable {
        /// A lead with the same email is already registered at this network (its id).
        case duplicateEmail(existingID: String)
    }

    private let state = Mutex(State())
    private let timelines: @Sendable (String) -> StatusTimeline

    /// `timeline(email)` picks the timeline of a new lead.
    public init(timeline: @escaping @Sendable (String) -> StatusTimeline) {
        timelines = timeline
    }

    /// A fresh number for numeric ids (Clixnow leadId, AlterCPA id).
    public func nextNumber() -> Int {
        state.withLock { s in
            s.nextNumber += 1
            return s.nextNumber
        }
    }

    /// Stores a new lead unless its duplicate key (email; AlterCPA: phone) is already registered at `network`.
    public func register(
        network: EmulatedNetwork, id: String, key email: String, fields: [String: String], at now: Double
    ) -> Result<EmulatedLead, RegisterError> {
        let key = email.lowercased()
        let timeline = timelines(key)
        return state.withLock { s in
            if !key.isEmpty, let existing = s.byEmail[network]?[key] {
                return .failure(.duplicateEmail(existingID: existing))
            }
            let lead = EmulatedLead(network: network, id: id, email: key, fields: fields, createdAt: now, timeline: timeline)
            s.leads[network, default: [:]][id] = lead
            s.order[network, default: []].append(id)
            if !key.isEmpty { s.byEmail[network, default: [:]][key] = id }
            return .success(lead)
        }
    }

    /// The lead `id` of `network`, if any.
    public func lead(_ network: EmulatedNetwork, id: String) -> EmulatedLead? {
        state.withLock { $0.leads[network]?[id] }
    }

    /// Merges `changes` into the fields of the lead `id` of `network` (a change replaces
    /// the field of the same name) and returns the lead as changed, or nil when there is no
    /// such lead. The duplicate key stays the one the lead was registered with.
    public func updateFields(_ network: EmulatedNetwork, id: String, with changes: [String: String]) -> EmulatedLead? {
        state.withLock { s in
            guard var lead = s.leads[network]?[id] else { return nil }
            lead.fields.merge(changes) { _, new in new }
            s.leads[network]?[id] = lead
            return lead
        }
    }

    /// Leads of `network` in registration order, optionally only those created in
    /// `from...to` (epoch seconds, both ends included).
    public func leads(_ network: EmulatedNetwork, createdFrom from: Double? = nil, to: Double? = nil) -> [EmulatedLead] {
        state.withLock { s in
            let all = (s.order[network] ?? []).compactMap { s.leads[network]?[$0] }
            return all.filter { lead in
                (from.map { lead.createdAt >= $0 } ?? true) && (to.map { lead.createdAt <= $0 } ?? true)
            }
        }
    }

    /// Every lead whose state changed since its last postback, with the new state;
    /// marks them notified. Leads pass through skipped steps only once: a lead that
    /// went from new straight to deposited between two sweeps yields only deposited.
    public func takeTransitions(at now: Double) -> [(lead: EmulatedLead, state: LeadState)] {
        state.withLock { s in
            var changed: [(lead: EmulatedLead, state: LeadState)] = []
            for network in EmulatedNetwork.allCases {
                for id in s.order[network] ?? [] {
                    guard var lead = s.leads[network]?[id],
                        let index = lead.timeline.stepIndex(after: now - lead.createdAt),
                        index > lead.notifiedStep
                    else { continue }
                    lead.notifiedStep = index
                    s.leads[network]?[id] = lead
                    changed.append((lead, lead.timeline.steps[index].state))
                }
            }
            return changed
        }
    }
}
