/// What the pool's state machine knows about one origin (scheme, host, port): how many
/// connections it has open, which of them are idle, and the requests waiting for one.
struct OriginQueue<Element> {
    /// Open (or opening) connections.
    var open = 0
    /// Kept-alive connections with nothing to do; the most recently used last.
    var idle: [PoolConnectionID] = []
    /// Requests waiting for a connection, oldest first from `waitingHead`.
    private var waiting: [Element] = []
    private var waitingHead = 0

    var hasWaiting: Bool { waitingHead < waiting.count }
    var waitingCount: Int { waiting.count - waitingHead }
    var oldestWaiting: Element? { hasWaiting ? waiting[waitingHead] : nil }

    mutating func enqueue(_ element: Element) { waiting.append(element) }

    mutating func dequeue() -> Element? {
        guard waitingHead < waiting.count else { return nil }
        let element = waiting[waitingHead]
        waitingHead += 1
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        }
        return element
    }

    /// Removes and returns the waiting elements `isExpired` accepts; the others keep their order.
    mutating func removeWaiting(where isExpired: (Element) -> Bool) -> [Element] {
        guard hasWaiting else { return [] }
        var expired: [Element] = []
        var kept: [Element] = []
        for element in waiting[waitingHead...] {
            if isExpired(element) { expired.append(element) } else { kept.append(element) }
        }
        if !expired.isEmpty {
            waiting = kept
            waitingHead = 0
        }
        return expired
    }

    func forEachWaiting(_ body: (Element) -> Void) {
        for element in waiting[waitingHead...] { body(element) }
    }

    mutating func removeAllWaiting() -> [Element] {
        defer {
            waiting = []
            waitingHead = 0
        }
        return Array(waiting[waitingHead...])
    }
}
