import IntegrationRuntime

/// What overrides what in a lead's stage (docs/service.md, "The stage rules"). No I/O: the
/// store asks it for each update, with the lead's history so far.
///
/// 1. A duplicate is ignored (not stored): an update with the network's time (`at`) that
///    the history holds already (same stage, status, time, amount and currency), or one
///    without a time that repeats the lead's latest update (same stage, status, amount
///    and currency): a poll that finds nothing new stores nothing.
/// 2. Every other update is stored in the history. It becomes the current stage unless
///    - the current stage is final (`approve`, `cancel`, `trash`) and the update's is not
///      (`wait`, `hold`): a final stage is never taken back to processing; or
///    - both carry the network's time and the update's is earlier than the current one's:
///      an older update (a late postback) does not move the stage back.
///    A final stage may replace another final stage (an approved lead later trashed as
///    fraud, a cancel the network reverses into an approve).
public enum StageRule {
    /// The stages after which a lead is no longer in processing.
    public static let finalStages: Set<StatusUpdate.Stage> = [.approve, .cancel, .trash]

    public static func isFinal(_ stage: StatusUpdate.Stage) -> Bool { finalStages.contains(stage) }

    /// Whether `entry` repeats what `history` (the lead's entries, oldest first) holds.
    public static func isDuplicate(_ entry: StatusEntry, in history: [StatusEntry]) -> Bool {
        if entry.at != nil, history.contains(where: { same($0, entry) && $0.at == entry.at }) { return true }
        if entry.at == nil, let latest = history.last, same(latest, entry) { return true }
        return false
    }

    /// Whether `entry` becomes the current stage, given the entry that set the current one.
    public static func applies(_ entry: StatusEntry, over current: StatusEntry?) -> Bool {
        guard let current else { return true }
        if isFinal(current.stage) && !isFinal(entry.stage) { return false }
        if let new = entry.at, let old = current.at, new < old { return false }
        return true
    }

    private static func same(_ a: StatusEntry, _ b: StatusEntry) -> Bool {
        a.stage == b.stage && a.status == b.status && a.amount == b.amount && a.currency == b.currency
    }
}
