import Synchronization

extension DeliveryEngine {
    /// Delivers one lead the way production does (the pool's workers, its rate limit, the
    /// engine's bookkeeping) but with exactly one attempt: a `retry` outcome is not retried
    /// and the delivery ends `error`. Returns the delivery's final event: its state, the
    /// engine's outcome, and in `result` the call's own (absent only for an attempt the
    /// engine ended at its timeout). For `leadrelay run` and the service's test window.
    ///
    ///     let pool = try IntegrationPool.rateLimited(catalog: catalog, name: "irev", transport: LiveTransport(), workers: 1)
    ///     let final = await DeliveryEngine.attemptOnce(input, through: pool)
    public static func attemptOnce(
        _ input: CallInput, through pool: IntegrationPool,
        clock: any DeliveryClock = SystemDeliveryClock()
    ) async -> DeliveryEvent {
        let final = Mutex<DeliveryEvent?>(nil)
        let engine = DeliveryEngine(
            configuration: Configuration(maxInFlightPerTarget: 1, retry: RetryPolicy(maxAttempts: 1)), clock: clock
        ) { event in
            if event.state.isFinal, !event.late { final.withLock { $0 = event } }
        }
        let job = DeliveryJob(leadID: "attempt-once", pool: pool, input: input)
        engine.submit(job)
        await engine.drain()
        // `drain` returns once the delivery is final and its events were reported.
        return final.withLock { $0 }
            ?? DeliveryEvent(
                leadID: job.leadID, target: job.target, state: .error, attempt: 1,
                outcome: .error("\(pool.name): the delivery ended without a final state"))
    }
}
