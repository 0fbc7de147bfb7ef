/// Timeouts without a timer per request: the loop calls `tick(now:)` once `nextDeadline`
/// has passed; the pool looks at every deadline then and keeps the earliest of the rest.
extension NativePoolState {
    /// Fails the waiting requests past their deadline, aborts the connections whose request
    /// or connect deadline passed, closes the connections idle for longer than `idleLimit`,
    /// and gives the freed slots to the waiting requests.
    mutating func tick(now: UInt64) -> Actions {
        guard now >= nextDeadline else { return Actions() }
        var actions = Actions()
        for origin in origins.keys {
            for entry in origins[origin]!.removeWaiting(where: { $0.request.deadline <= now }) {
                actions.append(.fail(entry.request, .waitedForConnection))
            }
            forgetIfUnused(origin)
        }
        var freed = false
        for (id, connection) in connections {
            switch connection.phase {
            case .connecting(let entry, let connectDeadline):
                if entry.request.deadline <= now {
                    actions.append(.abort(id, entry.request, .noAnswerInTime))
                } else if connectDeadline <= now {
                    actions.append(.abort(id, entry.request, .connectTimedOut))
                } else {
                    continue
                }
            case .busy(let entry):
                guard entry.request.deadline <= now else { continue }
                actions.append(.abort(id, entry.request, .noAnswerInTime))
            case .idle(let since):
                guard since &+ limits.idleLimit <= now else { continue }
                actions.append(.close(id, cleanly: true))
            }
            remove(id)
            freed = true
        }
        if freed { serveWaiting(now: now, into: &actions) }
        nextDeadline = earliestDeadline()
        return actions
    }

    private func earliestDeadline() -> UInt64 {
        var earliest = UInt64.max
        for queue in origins.values {
            // The queue keeps its order, not the deadlines': every waiting request counts.
            queue.forEachWaiting { earliest = min(earliest, $0.request.deadline) }
        }
        for connection in connections.values {
            switch connection.phase {
            case .connecting(let entry, let connectDeadline):
                earliest = min(earliest, entry.request.deadline, connectDeadline)
            case .busy(let entry):
                earliest = min(earliest, entry.request.deadline)
            case .idle(let since):
                earliest = min(earliest, since &+ limits.idleLimit)
            }
        }
        return earliest
    }
}
