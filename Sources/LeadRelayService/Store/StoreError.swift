/// A store operation that could not be done, with what to do about it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database could not be opened, migrated or written (`detail` is the engine's text).
    case unavailable(String)
    /// No lead has this id.
    case noSuchLead(String)
    /// No API key has this id.
    case noSuchKey(String)
    /// No offer has this id.
    case noSuchOffer(String)
    /// No affiliate has this id.
    case noSuchAffiliate(String)
    /// No employee has this id.
    case noSuchEmployee(String)
    /// A new record's id is taken ("offer 7"): nothing was replaced.
    case exists(String)
    /// No route has this id (to replace it, save it with the id the store gave it).
    case noSuchRoute(Int64)
    /// The lead is no longer leased to this owner (its lease ran out and another process
    /// claimed it, or it was released): the result of this attempt is not recorded.
    case leaseLost(leadID: String, owner: String)
    /// A state the delivery cannot be stored in (a claim gives `sending`; completing one
    /// takes a final state or `retry`).
    case invalidState(leadID: String, detail: String)
    /// A stored row that does not read back (a corrupt or foreign database).
    case corruptRow(table: String, detail: String)
    /// A secret could not be sealed or opened (no key given, or another key than the one
    /// that sealed it).
    case secret(String)

    public var description: String {
        switch self {
        case .unavailable(let detail): return "the store is unavailable: \(detail)"
        case .noSuchLead(let id): return "no lead \(id)"
        case .noSuchKey(let id): return "no API key \(id)"
        case .noSuchOffer(let id): return "no offer \(id)"
        case .noSuchAffiliate(let id): return "no affiliate \(id)"
        case .noSuchEmployee(let id): return "no employee \(id)"
        case .exists(let what): return "\(what) exists already"
        case .noSuchRoute(let id): return "no route \(id)"
        case .leaseLost(let id, let owner): return "lead \(id) is no longer leased to \(owner): its lease ran out and it was claimed again"
        case .invalidState(let id, let detail): return "lead \(id): \(detail)"
        case .corruptRow(let table, let detail): return "a row of \(table) does not read back: \(detail)"
        case .secret(let detail): return detail
        }
    }
}
