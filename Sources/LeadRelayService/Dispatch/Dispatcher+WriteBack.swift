import IntegrationRuntime

extension Dispatcher {
    /// A write the dispatcher owes the store.
    enum Owed {
        case complete(AttemptRecord, DeliveryState)
        case completeAll([Completion])
        case release(leadID: String, dueAt: Double)
        case releaseAll([String], dueAt: Double)
    }

    /// Waits between tries of a write the store refused as unavailable.
    static let writeRetryDelays: [Double] = [0.05, 0.2, 0.5, 1, 2]

    /// Turns the engine's events into store writes, in order: every event that came while
    /// the last writes ran is written back in one go (`LeadStore.complete(_:owner:now:)`).
    func writeBack() async {
        while let batch = await events.next() {
            let now = clock.now()
            let writes = state.withLock { s in batch.map { s.ledger.write(for: $0, now: now) } }
            var completions: [Completion] = []
            for write in writes {
                switch write {
                case .none: continue
                case .complete(let attempt, let newState): completions.append(Completion(attempt, newState))
                case .release(let leadID, let dueAt): await persist(.release(leadID: leadID, dueAt: dueAt), now: now)
                }
            }
            if !completions.isEmpty {
                await persist(.completeAll(completions), now: now)
                for completion in completions {
                    observer?.attemptWritten(completion.attempt, state: completion.state)
                    if completion.state.isFinal { waiters.finished(completion.attempt.leadID) }
                }
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
                case .completeAll(let completions):
                    // A lead whose lease was lost is another process's to deliver.
                    _ = try await store.complete(completions, owner: configuration.owner, now: now)
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
