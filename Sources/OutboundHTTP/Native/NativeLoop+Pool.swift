#if canImport(Glibc)
import Glibc
#endif

/// The loop's side of the pool: it reports events to `pool` (a `NativePoolState`, which
/// decides which connection carries an exchange) and carries out the actions it returns.
extension NativeLoop {
    typealias PoolActions = NativePoolState<NativeExchange>.Actions

    func dispatch(_ exchange: NativeExchange) {
        let now = SystemClock.monotonicNanos()
        perform(pool.submit(exchange, now: now), now: now)
    }

    /// The exchange on `connection` is over; the pool says what the connection does next.
    func release(_ connection: NativeConnection, reusable: Bool) {
        let now = SystemClock.monotonicNanos()
        perform(pool.released(connection.id, reusable: reusable, now: now), now: now)
    }

    /// Carries out the pool's decisions, in order.
    func perform(_ actions: PoolActions, now: UInt64) {
        for action in actions {
            switch action {
            case .open(let id, let exchange):
                open(id, for: exchange, now: now)
            case .begin(let exchange, let id):
                if let connection = pooled[id] {
                    begin(exchange, on: connection)
                } else {
                    // Not reachable (the pool begins only on connections it opened and the
                    // loop still holds); should it ever be, the request gets an answer.
                    complete(exchange, .broken(detail: "the connection chosen for the request was already gone"), now: now)
                }
            case .close(let id, let cleanly):
                if let connection = pooled[id] { discard(connection, cleanly: cleanly) }
            case .fail(let exchange, let failure):
                complete(exchange, failure, now: now)
            case .abort(let id, let exchange, let failure):
                if let connection = pooled[id] { discard(connection) }
                complete(exchange, failure, now: now)
            }
        }
    }

    private func complete(_ exchange: NativeExchange, _ failure: NativePoolState<NativeExchange>.Failure, now: UInt64) {
        let (kind, detail): (TransportFailure, String) =
            switch failure {
            case .waitedForConnection: (.timeout, timeoutDetail(exchange, waitingForConnection: true))
            case .noAnswerInTime: (.timeout, timeoutDetail(exchange, waitingForConnection: false))
            case .connectTimedOut:
                (.timeout, "could not connect to \(exchange.origin.host) within \(configuration.connectTimeout) s")
            case .broken(let detail): (.other, detail)
            }
        exchange.completion(.failed(kind, detail: detail, elapsed: exchange.elapsed(at: now)))
    }

    /// A new connection `id` for `exchange`: connects at once to an IP literal or a cached
    /// address, otherwise after the resolver answers.
    private func open(_ id: PoolConnectionID, for exchange: NativeExchange, now: UInt64) {
        let connection = NativeConnection(origin: exchange.target.origin, id: id, opening: exchange)
        pooled[id] = connection
        let host = connection.origin.host
        if let literal = IPAddress(literal: host) {
            connection.state.resolved([literal])
        } else if let known = resolver.cached(host, now: now) {
            connection.state.resolved(known)
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
            for connection in waiting where connection.state.isResolving {
                connection.state.resolved(addresses)
                connect(connection)
            }
        case .failure(let error):
            for connection in waiting where connection.state.isResolving {
                fail(connection, .dns, error.detail)
            }
        }
    }

    /// Sends `exchange` on a connected, idle connection.
    func begin(_ exchange: NativeExchange, on connection: NativeConnection) {
        let parser = ResponseParser(
            expectsNoBody: exchange.expectsNoBody, maxBodyBytes: exchange.maxResponseBytes,
            limits: configuration.responseLimits)
        guard let transfer = connection.state.begin(exchange, size: exchange.bytes.count, parser: parser),
            let (fd, session) = connection.state.connected
        else {
            // The pool begins only on connected, idle connections; should that ever not
            // hold, the request still gets an answer and the connection is given up.
            let detail = "the connection to \(connection.origin.host) was not ready for the request"
            exchange.completion(.failed(.other, detail: detail, elapsed: exchange.elapsed(at: SystemClock.monotonicNanos())))
            return fail(connection, .other, detail)
        }
        flush(connection, transfer, fd: fd, session)
    }

    /// Ends the exchange on `connection` with a transport failure and closes it; the pool
    /// gives its slot to the exchanges waiting.
    func fail(_ connection: NativeConnection, _ failure: TransportFailure, _ detail: String) {
        let exchange = discard(connection)
        let now = SystemClock.monotonicNanos()
        exchange?.completion(.failed(failure, detail: detail, elapsed: exchange?.elapsed(at: now) ?? 0))
        perform(pool.closed(connection.id, now: now), now: now)
    }

    /// An idle connection the server closed (or sent bytes no request asked for).
    func dropIdle(_ connection: NativeConnection, cleanly: Bool) {
        discard(connection, cleanly: cleanly)
        let now = SystemClock.monotonicNanos()
        perform(pool.closed(connection.id, now: now), now: now)
    }

    /// Closes the connection's socket and forgets it; returns its exchange, if any, which
    /// the caller ends (or the pool sends again); its slot in the pool is the caller's.
    /// `cleanly` after a whole exchange or when idle: TLS ends with a close_notify, which
    /// keeps the session resumable.
    @discardableResult
    func discard(_ connection: NativeConnection, cleanly: Bool = false) -> NativeExchange? {
        guard let closing = connection.state.close() else { return nil }
        if cleanly { closing.tls?.closeCleanly() }
        if let fd = closing.socket?.fd {
            if Int(fd) < connections.count, connections[Int(fd)] === connection { connections[Int(fd)] = nil }
            close(fd)
        }
        if closing.wasResolving, var list = resolving[connection.origin.host] {
            list.removeAll { $0 === connection }
            resolving[connection.origin.host] = list
        }
        pooled[connection.id] = nil
        return closing.exchange
    }
}
