/// A connection as the pool's state machine knows it: a number the loop maps to its socket.
struct PoolConnectionID: Hashable, Sendable {
    let value: Int
}

/// What the pool's state machine needs to know of a request.
protocol PoolRequest {
    var origin: WireTarget.Origin { get }
    /// When the request was handed to the transport (monotonic nanoseconds).
    var started: UInt64 { get }
    /// When it ends with a timeout.
    var deadline: UInt64 { get }
}

/// The native client's connection pool as a value: it takes events (a request submitted, a
/// connection connected, released, broken or closed, the time passing) with the time passed
/// in, and returns the actions the loop carries out (open a connection, begin a request on
/// one, close one, fail a request). It never touches a socket nor reads the clock, so every
/// decision (the per-origin and total limits, fairness between origins, idle expiry, the one
/// retry on a dead kept-alive connection, deadlines) can be tested without either.
struct NativePoolState<Request: PoolRequest> {
    /// The pool's limits, in connections and nanoseconds.
    struct Limits {
        var maxPerOrigin: Int
        var maxTotal: Int
        var connectTimeout: UInt64
        /// How long a kept-alive connection may stay unused before it is closed.
        var idleLimit: UInt64
    }

    /// Why the pool ends a request.
    enum Failure: Equatable {
        /// No connection became free before the request's deadline.
        case waitedForConnection
        /// The answer was not complete before the request's deadline.
        case noAnswerInTime
        /// The connection (with its TLS handshake) did not finish within `connectTimeout`.
        case connectTimedOut
        /// The connection broke under the request, which cannot be retried.
        case broken(detail: String)
    }

    /// What the loop must do.
    enum Action {
        /// Open connection `id` (resolve, connect, handshake) for `request`, then report
        /// `connected(id)` and send it.
        case open(PoolConnectionID, Request)
        /// Send `request` on the connected, idle connection `id`.
        case begin(Request, on: PoolConnectionID)
        /// Close connection `id`, which carries no request; `cleanly` (a TLS close_notify)
        /// when it is healthy.
        case close(PoolConnectionID, cleanly: Bool)
        /// End `request`, which has no connection, with a failure.
        case fail(Request, Failure)
        /// Close connection `id` and end the request it carried with a failure.
        case abort(PoolConnectionID, Request, Failure)
    }

    struct Entry {
        var request: Request
        /// Already sent once on a kept-alive connection that turned out closed.
        var retried = false
    }

    enum Phase {
        /// Resolving, connecting or in the TLS handshake, until `connectDeadline`.
        case connecting(Entry, connectDeadline: UInt64)
        case busy(Entry)
        case idle(since: UInt64)
    }

    struct Connection {
        let origin: WireTarget.Origin
        var phase: Phase
        /// Requests completed on it: more than 0 means it was kept alive and reused.
        var completed = 0
    }

    let limits: Limits
    private(set) var connections: [PoolConnectionID: Connection] = [:]
    var origins: [WireTarget.Origin: OriginQueue<Entry>] = [:]
    private(set) var totalOpen = 0
    /// The earliest deadline known: call `tick(now:)` once it has passed. (The state
    /// below is changed only by the events; it is readable for the loop and the tests.)
    var nextDeadline = UInt64.max
    private var nextID = 0

    init(limits: Limits) {
        self.limits = limits
    }

    /// Connections open (or opening) for `origin`.
    func openConnections(of origin: WireTarget.Origin) -> Int { origins[origin]?.open ?? 0 }

    /// Requests of `origin` waiting for a connection.
    func waitingCount(of origin: WireTarget.Origin) -> Int { origins[origin]?.waitingCount ?? 0 }

    // MARK: - Events

    /// A new request: it goes on an idle connection of its origin, on a new one within the
    /// limits, or waits.
    mutating func submit(_ request: Request, now: UInt64) -> Actions {
        nextDeadline = min(nextDeadline, request.deadline)
        var actions = Actions()
        dispatch(Entry(request: request), now: now, into: &actions)
        return actions
    }

    /// Connection `id` is connected (and through TLS): its request is being sent.
    mutating func connected(_ id: PoolConnectionID) {
        guard case .connecting(let entry, _)? = connections[id]?.phase else { return }
        connections[id]!.phase = .busy(entry)
    }

    /// The request on `id` is answered. The connection serves the next waiting request of
    /// its origin, goes idle, or is closed. Its slot goes to another origin instead when that
    /// origin waits for room under `maxTotal` and has waited longer than this one's next
    /// request, so that a busy origin cannot starve the rest.
    mutating func released(_ id: PoolConnectionID, reusable: Bool, now: UInt64) -> Actions {
        guard let index = connections.index(forKey: id), case .busy = connections.values[index].phase else { return Actions() }
        let origin = connections.values[index].origin
        var actions = Actions()
        guard reusable, !anotherOriginWaitedLonger(than: origin) else {
            remove(id)
            actions.append(.close(id, cleanly: true))
            serveWaiting(now: now, into: &actions)
            return actions
        }
        connections.values[index].completed += 1
        let queue = origins.index(forKey: origin)!
        if let next = origins.values[queue].dequeue() {
            connections.values[index].phase = .busy(next)
            actions.append(.begin(next.request, on: id))
        } else {
            connections.values[index].phase = .idle(since: now)
            origins.values[queue].idle.append(id)
            nextDeadline = min(nextDeadline, now &+ limits.idleLimit)
        }
        return actions
    }

    /// Connection `id` broke under its request before a complete answer. A kept-alive one
    /// that died before any byte of the answer (`answerStarted` false) has its request sent
    /// again on a fresh connection, once (what libcurl does too); otherwise the request fails.
    mutating func broke(_ id: PoolConnectionID, detail: String, answerStarted: Bool, now: UInt64) -> Actions {
        guard let connection = connections[id] else { return Actions() }
        let entry: Entry
        switch connection.phase {
        case .busy(let current), .connecting(let current, _): entry = current
        case .idle: return closed(id, now: now)
        }
        remove(id)
        var actions = Actions()
        if !entry.retried, connection.completed > 0, !answerStarted {
            actions.append(.close(id, cleanly: false))
            var again = entry
            again.retried = true
            // Not on another idle connection, which may be just as stale: a new one, in the
            // slot the dead one freed (so within both limits, and it never has to wait).
            assert((origins[connection.origin]?.open ?? 0) < limits.maxPerOrigin && totalOpen < max(1, limits.maxTotal))
            open(again, now: now, into: &actions)
        } else {
            actions.append(.abort(id, entry.request, .broken(detail: detail)))
            serveWaiting(now: now, into: &actions)
        }
        return actions
    }

    /// The loop closed connection `id` itself (a failure it reported to the request, or an
    /// idle connection the server closed): its slot goes to the origin waiting longest.
    mutating func closed(_ id: PoolConnectionID, now: UInt64) -> Actions {
        guard connections[id] != nil else { return Actions() }
        remove(id)
        var actions = Actions()
        serveWaiting(now: now, into: &actions)
        return actions
    }

    /// Ends everything: returns every request the pool holds (waiting or on a connection)
    /// and forgets every connection (the loop closes their sockets).
    mutating func shutdown() -> [Request] {
        var requests: [Request] = []
        for connection in connections.values {
            switch connection.phase {
            case .connecting(let entry, _), .busy(let entry): requests.append(entry.request)
            case .idle: break
            }
        }
        for var queue in origins.values { requests += queue.removeAllWaiting().map(\.request) }
        connections = [:]
        origins = [:]
        totalOpen = 0
        nextDeadline = .max
        return requests
    }

    // MARK: - Decisions

    /// A request goes on an idle connection of its origin, else on a new one within the
    /// limits, else waits; never ahead of its origin's requests already waiting.
    mutating func dispatch(_ entry: Entry, now: UInt64, into actions: inout Actions) {
        let origin = entry.request.origin
        if origins.index(forKey: origin) == nil { origins[origin] = OriginQueue() }
        let queue = origins.index(forKey: origin)!
        if let id = origins.values[queue].idle.popLast() {
            connections[id]!.phase = .busy(entry)
            actions.append(.begin(entry.request, on: id))
        } else if !origins.values[queue].hasWaiting, origins.values[queue].open < limits.maxPerOrigin,
            makeRoom(into: &actions)
        {
            open(entry, now: now, into: &actions)
        } else {
            origins[origin]!.enqueue(entry)
        }
    }

    /// Below `maxTotal`, or made so by closing the idle connection unused for longest (an
    /// explicit `close` action).
    private mutating func makeRoom(into actions: inout Actions) -> Bool {
        if totalOpen < max(1, limits.maxTotal) { return true }
        var oldest: (id: PoolConnectionID, since: UInt64)?
        for queue in origins.values {
            guard let id = queue.idle.first, case .idle(let since)? = connections[id]?.phase else { continue }
            if oldest == nil || since < oldest!.since { oldest = (id, since) }
        }
        guard let oldest else { return false }
        remove(oldest.id)
        actions.append(.close(oldest.id, cleanly: true))
        return true
    }

    private mutating func open(_ entry: Entry, now: UInt64, into actions: inout Actions) {
        let id = PoolConnectionID(value: nextID)
        nextID += 1
        let origin = entry.request.origin
        let connectDeadline = now &+ limits.connectTimeout
        connections[id] = Connection(origin: origin, phase: .connecting(entry, connectDeadline: connectDeadline))
        origins[origin, default: OriginQueue()].open += 1
        totalOpen += 1
        nextDeadline = min(nextDeadline, connectDeadline)
        actions.append(.open(id, entry.request))
    }

    /// Forgets connection `id` and its slot (its request, if any, is the caller's).
    mutating func remove(_ id: PoolConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        if case .idle = connection.phase { origins[connection.origin]!.idle.removeAll { $0 == id } }
        origins[connection.origin]!.open -= 1
        totalOpen -= 1
        forgetIfUnused(connection.origin)
    }

    /// Drops `origin`'s entry once it has neither a connection nor a waiting request, so
    /// that the looks at every origin (who waits for room, which idle connection to close,
    /// the next deadline) cover only the origins in use, not every one ever reached.
    mutating func forgetIfUnused(_ origin: WireTarget.Origin) {
        guard let queue = origins[origin], queue.open == 0, !queue.hasWaiting else { return }
        origins[origin] = nil
    }

    // Who waits for room is read from the queues, not kept on a list of its own: an origin
    // with waiting requests and fewer than `maxPerOrigin` connections waits for room under
    // `maxTotal` (every event serves such an origin while there is room, so it waits only
    // while the pool is full and has no idle connection to close).

    /// Among the origins that may open a connection (under their per-origin limit), the one
    /// whose oldest waiting request came first, with that request's start; `origin` excepted.
    private func longestWaitingForRoom(except origin: WireTarget.Origin? = nil)
        -> (origin: WireTarget.Origin, since: UInt64)?
    {
        var longest: (origin: WireTarget.Origin, since: UInt64)?
        for (candidate, queue) in origins where candidate != origin && queue.open < limits.maxPerOrigin {
            guard let since = queue.oldestWaiting?.request.started else { continue }
            if longest == nil || since < longest!.since { longest = (candidate, since) }
        }
        return longest
    }

    /// Whether a connection of `origin` that is free again must give its slot away: another
    /// origin waits for room and its oldest request came before `origin`'s oldest waiting one
    /// (if any).
    private func anotherOriginWaitedLonger(than origin: WireTarget.Origin) -> Bool {
        // Below the total limit nobody waits for room: spare the look at every origin.
        guard totalOpen >= max(1, limits.maxTotal), let other = longestWaitingForRoom(except: origin) else {
            return false
        }
        guard let ours = origins[origin]?.oldestWaiting?.request.started else { return true }
        return other.since < ours
    }

    /// Gives the room under the limits (freed slots, idle connections to close) to the
    /// waiting requests that can open a connection, the one that waited longest first.
    mutating func serveWaiting(now: UInt64, into actions: inout Actions) {
        while let next = longestWaitingForRoom(), makeRoom(into: &actions) {
            open(origins[next.origin]!.dequeue()!, now: now, into: &actions)
        }
    }
}
