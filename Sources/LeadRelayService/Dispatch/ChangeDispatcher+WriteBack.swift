import IntegrationRuntime

extension ChangeDispatcher {
    /// Turns the engine's events into store writes, in order (the ledger decides, as the
    /// lead dispatcher's; its records carry the change's id as their `leadID`).
    func writeBack() async {
        for await event in events {
            let now = clock.now()
            switch state.withLock({ $0.ledger.write(for: event, now: now) }) {
            case .none: continue
            case .complete(let attempt, let newState): await persist(.complete(attempt, newState), now: now)
            case .release(let id, let dueAt): await persist(.release(leadID: id, dueAt: dueAt), now: now)
            }
            poke()
        }
    }

    /// Writes `owed`, trying again while the store is unavailable (as `Dispatcher.persist`):
    /// a change whose write never lands keeps its lease and is claimed again, flagged.
    func persist(_ owed: Dispatcher.Owed, now: Double) async {
        for delay in Dispatcher.writeRetryDelays + [nil] {
            do {
                switch owed {
                case .complete(let attempt, let newState):
                    try await store.completeChange(attempt, state: newState, owner: configuration.owner, now: now)
                case .completeAll(let completions):  // not made by this dispatcher's writer; written one by one
                    for completion in completions {
                        do {
                            try await store.completeChange(
                                completion.attempt, state: completion.state, owner: configuration.owner, now: now)
                        } catch StoreError.leaseLost {
                            continue
                        }
                    }
                case .release(let id, let dueAt):
                    try await store.releaseChanges([id], owner: configuration.owner, dueAt: dueAt, now: now)
                case .releaseAll(let ids, let dueAt):
                    try await store.releaseChanges(ids, owner: configuration.owner, dueAt: dueAt, now: now)
                }
                return
            } catch {
                guard case .unavailable = error, let delay else { return }
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
        }
    }
}
