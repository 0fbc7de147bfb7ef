/// The entries of one integration in a `MemoryCacheStore`, kept within its `CacheLimits`:
/// slots holding the entries, a recency list through them (most recently read or written
/// first; the least recent is evicted first), and an `ExpiryQueue`, so that expired
/// entries are dropped whenever the partition is touched or swept, read or not.
struct CachePartition {
    private struct Slot {
        var key: String
        var value: [UInt8]
        var expires: Double
        var cost: Int
        /// Neighbours in the recency list: towards the most and the least recent (-1: none).
        var newer: Int
        var older: Int
        var generation: UInt32
    }

    private var slots: [Slot] = []
    private var freeSlots: [Int] = []
    private var index: [String: Int] = [:]
    private var newest = -1
    private var oldest = -1
    private var expiry = ExpiryQueue()
    private(set) var bytes = 0

    var count: Int { index.count }

    /// The value of `key`, unless absent or expired; a hit becomes the most recent entry.
    mutating func get(_ key: String, now: Double) -> [UInt8]? {
        dropExpired(now: now)
        guard let slot = index[key] else { return nil }
        unlink(slot)
        linkNewest(slot)
        return slots[slot].value
    }

    /// Stores `value` until `expires`, evicting the least recently used entries until it
    /// fits; refuses only a value bigger than the whole partition may hold.
    mutating func set(_ key: String, value: [UInt8], expires: Double, now: Double, limits: CacheLimits) throws(CacheStoreError) {
        dropExpired(now: now)
        let cost = key.utf8.count + value.count + CacheLimits.entryOverheadBytes
        guard limits.entries > 0, cost <= limits.bytes else {
            throw CacheStoreError(
                "the value needs \(cost) bytes of cache, more than the \(limits.bytes) bytes and \(limits.entries) entries an integration may hold"
            )
        }
        remove(key)
        while count >= limits.entries || bytes + cost > limits.bytes, oldest >= 0 {
            remove(at: oldest)
        }
        let slot = freeSlots.popLast() ?? slots.count
        // Only the bytes counted are kept: an encoder's spare capacity is dropped.
        let stored =
            value.capacity > value.count
            ? [UInt8](unsafeUninitializedCapacity: value.count) { buffer, n in
                n = buffer.initialize(fromContentsOf: value)
            } : value
        let generation = slot < slots.count ? slots[slot].generation &+ 1 : 0
        let entry = Slot(key: key, value: stored, expires: expires, cost: cost, newer: -1, older: -1, generation: generation)
        if slot < slots.count { slots[slot] = entry } else { slots.append(entry) }
        index[key] = slot
        bytes += cost
        linkNewest(slot)
        expiry.push(ExpiryQueue.Item(expires: expires, slot: slot, generation: generation))
        if expiry.count > 2 * count + 64 { expiry.removeAll(where: isStale) }
    }

    mutating func remove(_ key: String) {
        if let slot = index[key] { remove(at: slot) }
    }

    /// Drops every entry expired at `now`, soonest first, without reading the others.
    mutating func dropExpired(now: Double) {
        while let first = expiry.first, first.expires <= now {
            _ = expiry.popFirst()
            if !isStale(first) { remove(at: first.slot) }
        }
    }

    private func isStale(_ item: ExpiryQueue.Item) -> Bool {
        let slot = slots[item.slot]
        return slot.generation != item.generation || index[slot.key] != item.slot
    }

    private mutating func remove(at slot: Int) {
        unlink(slot)
        index[slots[slot].key] = nil
        bytes -= slots[slot].cost
        slots[slot].key = ""
        slots[slot].value = []
        slots[slot].generation &+= 1
        freeSlots.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (slots[slot].newer, slots[slot].older)
        if newer >= 0 { slots[newer].older = older } else { newest = older }
        if older >= 0 { slots[older].newer = newer } else { oldest = newer }
        slots[slot].newer = -1
        slots[slot].older = -1
    }

    private mutating func linkNewest(_ slot: Int) {
        slots[slot].older = newest
        slots[slot].newer = -1
        if newest >= 0 { slots[newest].newer = slot } else { oldest = slot }
        newest = slot
    }
}
