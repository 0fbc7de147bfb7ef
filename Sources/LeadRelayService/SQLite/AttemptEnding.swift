import IntegrationRuntime

/// What a row (a lead's or a change's) records when an attempt ends in `state`: the state's
/// stored word, when it is due again (a retry) and its attempt number from then on.
struct AttemptEnding {
    let word: String
    let dueAt: Double?
    let next: Int

    /// - Parameter what: the attempt, for the error (`"an attempt"`, `"an attempt of a change"`).
    init(_ state: DeliveryState, attempt: AttemptRecord, what: String) throws(StoreError) {
        switch state {
        case .accepted: (word, dueAt, next) = ("accepted", nil, attempt.number)
        case .rejected: (word, dueAt, next) = ("rejected", nil, attempt.number)
        case .error: (word, dueAt, next) = ("error", nil, attempt.number)
        case .retry(let at, let number): (word, dueAt, next) = ("retry", at, number)
        case .pending, .sending:
            throw .invalidState(leadID: attempt.leadID, detail: "\(what) ends final or in retry, not \(state)")
        }
    }
}
