import CEpoll

#if canImport(Glibc)
import Glibc
#endif

/// Which connection carries an exchange: a kept-alive one of its origin, a new one within
/// the limits, or none yet (the exchange waits for one to free up).
extension NativeLoop {
    func dispatch(_ exchange: NativeExchange) {
        let origin = exchange.target.origin
        let pool = connections(of: origin)
        nextDeadlineScan = min(nextDeadlineScan, exchange.deadline)
        if let connection = pool.idle.popLast() {
            begin(exchange, on: connection)
        } else if pool.open < configuration.maxConnectionsPerHost, hasRoomForAnotherConnection() {
            open(for: exchange, in: pool)
        } else {
            pool.enqueue(exchange)
            if pool.open < configuration.maxConnectionsPerHost, !blockedOrigins.contains(origin) {
                blockedOrigins.append(origin)
            }
        }
    }

    func connections(of origin: WireTarget.Origin) -> OriginConnections {
        if let pool = origins[origin] { return pool }
        let pool = OriginConnections()
        origins[origin] = pool
        return pool
    }

    /// Below `maxTotalConnections`, or made so by closing an idle connection.
    private func hasRoomForAnotherConnection() -> Bool {
        if totalOpen < max(1, configuration.maxTotalConnections) { return true }
        for pool in origins.values {
            if let idle = pool.idle.first {
                pool.idle.removeFirst()
                discard(idle, cleanly: true)
                return true
            }
        }
        return false
    }

    /// A new connection for `exchange`: connects at once to an IP literal or a cached
    /// address, otherwise after the resolver answers.
    func open(for exchange: NativeExchange, in pool: OriginConnections) {
        let connection = NativeConnection(origin: exchange.target.origin)
        connection.exchange = exchange
        pool.open += 1
        totalOpen += 1
        let now = SystemClock.monotonicNanos()
        connection.connectDeadline = now &+ nanoseconds(configuration.connectTimeout)
        nextDeadlineScan = min(nextDeadlineScan, connection.connectDeadline)
        let host = connection.origin.host
        if let literal = IPAddress(literal: host) {
            connection.addresses = [literal]
        } else if let known = resolver.cached(host, now: now) {
            connection.addresses = known
        } else {
            let first = resolving[host] == nil
            resolving[host, default: []].append(connection)
            if first {
                HostResolver.lookUp(host, port: connection.origin.port) { [weak self] in self?.deliver($0) }
            }
            return
        }
        connect(connection)
    }

    func resolved(_ resolution: HostResolution) {
        let waiting = resolving.removeValue(forKey: resolution.host) ?? []
        switch resolution.result {
        case .success(let addresses):
            resolver.remember(resolution.host, addresses, now: SystemClock.monotonicNanos())
            for connection in waiting where connection.exchange != nil {
                connection.addresses = addresses
                connect(connection)
            }
        case .failure(let error):
            for connection in waiting where connection.exchange != nil {
                fail(connection, .dns, error.detail)
            }
        }
    }

    /// Sends `exchange` on a connected, idle connection.
    func begin(_ exchange: NativeExchange, on connection: NativeConnection) {
        connection.exchange = exchange
        connection.written = 0
        connection.parser = ResponseParser(expectsNoBody: exchange.expectsNoBody, maxBodyBytes: exchange.maxResponseBytes,
                                           limits: configuration.responseLimits)
        flush(connection)
    }

    /// The exchange on `connection` is over: the connection serves the next waiting
    /// exchange of its origin, goes idle, or is closed. Its slot goes to another origin
    /// instead when that origin waits for room under `maxTotalConnections` and has waited
    /// longer than this one's next exchange, so that a busy origin cannot starve the rest.
    func release(_ connection: NativeConnection, reusable: Bool) {
        let pool = connections(of: connection.origin)
        let handOver = blockedOriginToServe(before: pool, other: connection.origin)
        guard reusable, handOver == nil else {
            discard(connection, cleanly: true)
            if let (origin, other) = handOver { serveWaiting(of: origin, pool: other) }
            serveWaiting(of: connection.origin)
            return
        }
        if let next = pool.dequeue() {
            begin(next, on: connection)
        } else {
            connection.idleSince = SystemClock.monotonicNanos()
            nextDeadlineScan = min(nextDeadlineScan, connection.idleSince &+ Self.idleLimit)
            pool.idle.append(connection)
        }
    }

    /// The first origin other than `origin` that waits for room under the total limit and
    /// whose oldest exchange is older than `pool`'s oldest waiting one (if it has any).
    private func blockedOriginToServe(before pool: OriginConnections, other origin: WireTarget.Origin)
        -> (WireTarget.Origin, OriginConnections)? {
        guard !blockedOrigins.isEmpty else { return nil }
        blockedOrigins.removeAll { origins[$0]?.hasWaiting != true }
        guard let blocked = blockedOrigins.first(where: { $0 != origin }), let other = origins[blocked],
              let theirs = other.oldestWaitingStarted
        else { return nil }
        if let ours = pool.oldestWaitingStarted, ours <= theirs { return nil }
        return (blocked, other)
    }

    /// Opens connections for `origin`'s waiting exchanges while the limits allow.
    func serveWaiting(of origin: WireTarget.Origin, pool given: OriginConnections? = nil) {
        guard let pool = given ?? origins[origin] else { return }
        while pool.hasWaiting, pool.open < configuration.maxConnectionsPerHost, hasRoomForAnotherConnection() {
            guard let next = pool.dequeue() else { break }
            open(for: next, in: pool)
        }
        if !pool.hasWaiting { blockedOrigins.removeAll { $0 == origin } }
    }

    /// Ends the exchange on `connection` with a transport failure and closes it.
    func fail(_ connection: NativeConnection, _ failure: TransportFailure, _ detail: String) {
        let exchange = connection.exchange
        connection.exchange = nil
        discard(connection)
        if let exchange {
            exchange.completion(.failed(failure, detail: detail, elapsed: exchange.elapsed(at: SystemClock.monotonicNanos())))
        }
        serveWaiting(of: connection.origin)
    }

    /// A kept-alive connection turned out closed before any answer: the exchange goes
    /// again on a fresh connection, once (what libcurl does too).
    func retryOnFreshConnection(_ connection: NativeConnection) {
        guard var exchange = connection.exchange else { return discard(connection) }
        connection.exchange = nil
        discard(connection)
        exchange.retried = true
        let pool = connections(of: exchange.target.origin)
        if pool.open < configuration.maxConnectionsPerHost, hasRoomForAnotherConnection() {
            open(for: exchange, in: pool)
        } else {
            dispatch(exchange)
        }
    }

    /// Closes the connection's socket and forgets it (its exchange, if any, is the caller's).
    /// `cleanly` after a whole exchange or when idle: TLS ends with a close_notify, which
    /// keeps the session resumable.
    func discard(_ connection: NativeConnection, cleanly: Bool = false) {
        guard !connection.discarded else { return }
        connection.discarded = true
        if cleanly { connection.tls?.closeCleanly() }
        if connection.fd >= 0 {
            if Int(connection.fd) < connections.count, connections[Int(connection.fd)] === connection {
                connections[Int(connection.fd)] = nil
            }
            close(connection.fd)
            connection.fd = -1
        }
        connection.tls = nil
        if connection.phase == .resolving, var list = resolving[connection.origin.host] {
            list.removeAll { $0 === connection }
            resolving[connection.origin.host] = list
        }
        let pool = connections(of: connection.origin)
        pool.idle.removeAll { $0 === connection }
        pool.open -= 1
        totalOpen -= 1
    }
}
