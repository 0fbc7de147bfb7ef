/// Things due at a time, earliest first (a binary min-heap; equal times in insertion order).
struct DeliverySchedule<Item> {
    struct Entry {
        var due: Double
        var sequence: UInt64
        var item: Item

        func precedes(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// The earliest due time.
    var nextDue: Double? { heap.first?.due }

    mutating func insert(_ item: Item, due: Double) {
        heap.append(Entry(due: due, sequence: nextSequence, item: item))
        nextSequence += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns everything due at or before `now`, earliest first.
    mutating func popDue(now: Double) -> [Item] {
        var out: [Item] = []
        while let first = heap.first, first.due <= now { out.append(removeFirst()) }
        return out
    }

    private mutating func removeFirst() -> Item {
        let item = heap[0].item
        let last = heap.removeLast()
        guard !heap.isEmpty else { return item }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
            guard smallest != parent else { return item }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
extension DeliverySchedule: Sendable where Item: Sendable {}
extension DeliverySchedule.Entry: Sendable where Item: Sendable {}
