import Synchronization

/// What the intake reads on every request and ops change rarely (API keys, affiliates,
/// offers), kept for at most `seconds` after it was read, so that the store is asked once a
/// second instead of once per lead. A change in the store (a key revoked, an offer's
/// duplicate window moved) is seen at most `seconds` later; `seconds` 0 keeps nothing.
///
/// Only what was found is kept: an unknown key is looked up every time, so guessed tokens
/// cannot fill the cache, which holds at most one entry per stored key, affiliate or offer.
final class ExpiringCache<Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let until: Double
    }

    let seconds: Double
    private let entries = Mutex<[String: Entry]>([:])

    init(seconds: Double) { self.seconds = seconds }

    /// Drops everything kept: the next read of each goes to the store (after a change made
    /// through this process, which then counts at once here).
    func removeAll() { entries.withLock { $0.removeAll() } }

    /// The value kept for `key` if it was read less than `seconds` before `now`; otherwise
    /// `load`'s answer, kept when it is not nil.
    func value(
        _ key: String, now: Double, load: () async throws(StoreError) -> Value?
    ) async throws(StoreError) -> Value? {
        guard seconds > 0 else { return try await load() }
        // Kept from a read at most `seconds` ago (a clock set back does not stretch that).
        if let kept = entries.withLock({ $0[key] }), now < kept.until, now >= kept.until - seconds { return kept.value }
        let loaded = try await load()
        entries.withLock { entries in
            if let loaded { entries[key] = Entry(value: loaded, until: now + seconds) } else { entries[key] = nil }
        }
        return loaded
    }
}
