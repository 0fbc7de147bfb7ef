import IntegrationRuntime

/// Where the test window keeps its live calls (Track360: "test leads stay out of reports
/// unless asked for"): each as a lead flagged test (`NewLead.isTest`), written already in its
/// final state with its one attempt, so no dispatcher claims it, it is never redelivered, its
/// affiliate is never called back and it earns no payout. Reports leave test leads out
/// unless `include_test=true`.
public protocol TestLeadStore: Sendable {
    /// Stores `lead` under `id` as a test lead in `state` (`accepted`, `rejected` or `error`)
    /// with `attempt`, in one transaction; `invalidState` for any other state.
    func storeTestLead(id: String, _ lead: NewLead, attempt: AttemptRecord, state: DeliveryState) async throws(StoreError)
}

extension DeliveryState {
    /// Where a test call's lead ends after its one attempt (never retried): `accepted`,
    /// `rejected`, or `error` for a `retry` or a failure.
    static func afterTestCall(_ outcome: Outcome) -> DeliveryState {
        switch outcome.kind {
        case .accepted: return .accepted
        case .rejected: return .rejected
        case .retry, .error: return .error
        }
    }
}
