import IntegrationRuntime

extension Dispatcher {
    /// A write the dispatcher owes the store.
    enum Owed {
        case complete(AttemptRecord, DeliveryState)
        case release(leadID: String, dueAt: Double)
        case releaseAll([String], dueAt: Double)
    }

    /// Waits between tries of a write the store refused as unavailable.
    static let writeRetryDelays: [Double] = [0.05, 0.2, 0.5, 1, 2]

    /// Turns the engine's events into store writes, in order.
    func writeBack() async {
        for await event in events {
            let now = clock.now()
            let write = state.withLock { $0.ledger.write(for: event, now: now) }
            switch write {
            case .none: continue
            case .complete(let attempt, let newState):
                await persist(.complete(attempt, newState), now: now)
                observer?.attemptWritten(attempt, state: newState)
                if newState.isFinal { waiters.finished(attempt.leadID) }
            case .release(let leadID, let dueAt): await persist(.release(leadID: leadID, dueAt: dueAt), now: now)
            }
            poke()
        }
    }

    /// Writes `owed`, trying again while the store is unavailable. A lease another process
    /// took is not retried (that process delivers the lead). If the store stays unavailable
    /// the lead stays leased there, and is claimed again (flagged) once the lease runs out:
    /// nothing is lost, at worst sent twice with the flag.
    func persist(_ owed: Owed, now: Double) async {
        for delay in Self.writeRetryDelays + [nil] {
            do {
                switch owed {
                case .complete(let attempt, let newState):
                    try await store.complete(attempt, state: newState, owner: configuration.owner, now: now)
                case .release(let leadID, let dueAt):
                    try await store.release([leadID], owner: configuration.owner, dueAt: dueAt, now: now)
                case .releaseAll(let leadIDs, let dueAt):
                    try await store.release(leadIDs, owner: configuration.owner, dueAt: dueAt, now: now)
                }
                return
            } catch {
                guard case .unavailable = error, let delay else { return }
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
        }
    }
}
