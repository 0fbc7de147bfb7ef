/// The entries of a `CachePartition` by expiry time, soonest first (a binary min-heap),
/// so that expired ones are found without reading every entry. An item names a slot and
/// the slot's generation when it was pushed: a slot that was freed or refilled since makes
/// the item stale, and it is skipped.
struct ExpiryQueue {
    struct Item {
        var expires: Double
        var slot: Int
        var generation: UInt32
    }

    private(set) var items: [Item] = []

    var count: Int { items.count }
    var first: Item? { items.first }

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].expires < items[parent].expires else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> Item? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left].expires < items[smallest].expires { smallest = left }
            if right < items.count, items[right].expires < items[smallest].expires { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    /// Drops the items `isStale` names (when stale ones pile up), keeping heap order.
    mutating func removeAll(where isStale: (Item) -> Bool) {
        let kept = items.filter { !isStale($0) }
        items = []
        items.reserveCapacity(kept.count)
        for item in kept { push(item) }
    }
}
