/// Timeouts without a timer per request: the loop looks at every deadline only when the
/// earliest one it knows of is due, and keeps the earliest of the rest for next time.
extension NativeLoop {
    func scanDeadlinesIfDue() {
        let now = SystemClock.monotonicNanos()
        guard now >= nextDeadlineScan else { return }
        var earliest = UInt64.max
        for case let connection? in connections {
            check(connection, now: now, earliest: &earliest)
        }
        for list in resolving.values {
            for connection in list { check(connection, now: now, earliest: &earliest) }
        }
        for pool in origins.values {
            for exchange in pool.removeExpired(now: now, earliest: &earliest) {
                exchange.completion(.failed(.timeout, detail: timeoutDetail(exchange, waitingForConnection: true),
                                            elapsed: exchange.elapsed(at: now)))
            }
        }
        nextDeadlineScan = earliest
    }

    private func check(_ connection: NativeConnection, now: UInt64, earliest: inout UInt64) {
        guard !connection.discarded else { return }
        if let exchange = connection.exchange {
            if exchange.deadline <= now {
                return fail(connection, .timeout, timeoutDetail(exchange, waitingForConnection: false))
            }
            if connection.phase != .ready, connection.connectDeadline <= now {
                let seconds = configuration.connectTimeout
                return fail(connection, .timeout, "could not connect to \(connection.origin.host) within \(seconds) s")
            }
            earliest = min(earliest, exchange.deadline)
            if connection.phase != .ready { earliest = min(earliest, connection.connectDeadline) }
        } else if connection.phase == .ready {
            let expires = connection.idleSince &+ Self.idleLimit
            if expires <= now {
                discard(connection, cleanly: true)
            } else {
                earliest = min(earliest, expires)
            }
        }
    }

    func timeoutDetail(_ exchange: NativeExchange, waitingForConnection: Bool) -> String {
        let seconds = Double(exchange.deadline &- exchange.started) / 1e9
        let origin = exchange.target.origin
        return waitingForConnection
            ? "no connection to \(origin.host) became free within \(seconds) s"
            : "no complete answer from \(origin.host) within \(seconds) s"
    }

    /// Shutdown: every exchange ends with `.other` and every socket closes.
    func failEverything(detail: String) {
        var exchanges: [NativeExchange] = []
        for case let connection? in connections {
            if let exchange = connection.exchange { exchanges.append(exchange) }
            connection.exchange = nil
            discard(connection)
        }
        for list in resolving.values {
            for connection in list {
                if let exchange = connection.exchange { exchanges.append(exchange) }
                connection.exchange = nil
            }
        }
        resolving = [:]
        for pool in origins.values { exchanges += pool.removeAllWaiting() }
        origins = [:]
        for exchange in exchanges { exchange.completion(.failed(.other, detail: detail)) }
    }
}
