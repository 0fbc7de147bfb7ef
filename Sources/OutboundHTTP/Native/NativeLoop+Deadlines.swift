/// Timeouts without a timer per request: the pool keeps the earliest deadline it knows of;
/// once it has passed, the loop hands it the time and carries out what expired.
extension NativeLoop {
    func scanDeadlinesIfDue() {
        let now = SystemClock.monotonicNanos()
        guard now >= pool.nextDeadline else { return }
        perform(pool.tick(now: now), now: now)
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
        let exchanges = pool.shutdown()
        for connection in Array(pooled.values) { discard(connection) }
        pooled = [:]
        resolving = [:]
        for exchange in exchanges { exchange.completion(.failed(.other, detail: detail)) }
    }
}
