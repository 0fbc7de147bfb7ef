import IntegrationRuntime
import Synchronization
import XCTest

/// `waits: .handedBack`: a lead that must wait leaves the engine with its `retry` event, for
/// its owner (the service's store) to submit again when due, at its next attempt.
final class DeliveryEngineHandBackTests: XCTestCase {
    let clock = ManualDeliveryClock()
    let recorder = DeliveryRecorder()

    func engine(attempts: Int = 3, failures: Int = 50) -> DeliveryEngine {
        let policy = RetryPolicy(maxAttempts: attempts, baseDelay: 10, multiplier: 1, maxDelay: 10, jitter: .none)
        return DeliveryEngine(
            configuration: .init(
                retry: policy, circuit: .init(failureThreshold: failures, cooldown: 30),
                attemptTimeout: nil, waits: .handedBack),
            clock: clock, onEvent: recorder.record)
    }

    func testARetryIsHandedBackAndNotRunAgainByTheEngine() async {
        let engine = engine()
        let runner = ScriptedRunner { _ in ScriptedRunner.result(Outcome(.retry, reason: .unavailable)) }
        let t0 = clock.now()
        engine.submit(DeliveryJob(leadID: "L", runner: runner, input: .push("L"), target: demoTarget))
        XCTAssertEqual(recorder.states("L"), [.pending, .sending(attempt: 1), .retry(at: t0 + 10, attempt: 2)])
        XCTAssertEqual(engine.unfinished, 0, "the engine keeps nothing")
        await engine.drain()
        clock.advance(by: 3600)
        XCTAssertEqual(runner.callCount, 1, "no timer ran it again")
    }

    func testASubmissionAtALaterAttemptCountsTheEarlierOnes() {
        let engine = engine(attempts: 3)
        let runner = ScriptedRunner { _ in ScriptedRunner.result(Outcome(.retry, reason: .unavailable, message: "busy")) }
        let t0 = clock.now()
        engine.submit(DeliveryJob(leadID: "L", runner: runner, input: .push("L"), target: demoTarget, attempt: 2))
        XCTAssertEqual(recorder.states("L"), [.retry(at: t0, attempt: 2), .sending(attempt: 2), .retry(at: t0 + 10, attempt: 3)])
        XCTAssertEqual(runner.calls.withLock { $0.map(\.attempt) }, [2], "ctx.attempt is the stored attempt")
        engine.submit(DeliveryJob(leadID: "L", runner: runner, input: .push("L"), target: demoTarget, attempt: 3))
        XCTAssertEqual(recorder.states("L").last, .error, "the third attempt was the last")
        XCTAssertEqual(
            recorder.of("L").last?.outcome?.message,
            "gave up after 3 attempts: the last one ended retry (unavailable): busy; the lead is kept for redelivery")
    }

    func testLeadsMeetingAnOpenCircuitAreHandedBackUntilItsEnd() {
        let engine = engine(failures: 2)
        let runner = ScriptedRunner { _ in ScriptedRunner.result(Outcome(.retry, reason: .timeout), failure: .timeout) }
        let t0 = clock.now()
        for lead in ["L1", "L2"] { engine.submit(DeliveryJob(leadID: lead, runner: runner, input: .push(lead), target: demoTarget)) }
        XCTAssertEqual(engine.circuit(of: demoTarget), .open(until: t0 + 30))
        engine.submit(DeliveryJob(leadID: "L3", runner: runner, input: .push("L3"), target: demoTarget))
        XCTAssertEqual(recorder.states("L3"), [.pending, .retry(at: t0 + 30, attempt: 1)])
        engine.submit(DeliveryJob(leadID: "L1", runner: runner, input: .push("L1"), target: demoTarget, attempt: 2))
        XCTAssertEqual(
            recorder.states("L1").suffix(2), [.retry(at: t0, attempt: 2), .retry(at: t0 + 30, attempt: 2)],
            "a hold is no attempt")
        XCTAssertEqual(runner.callCount, 2)
        XCTAssertEqual(engine.unfinished, 0)
    }

    /// Stopping hands back at once what waited to start; the attempt in flight goes on and
    /// is reported when it ends.
    func testStopStartingHandsBackTheWaitingAndLetsTheAttemptInFlightEnd() async {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 10, multiplier: 1, maxDelay: 10, jitter: .none)
        let engine = DeliveryEngine(
            configuration: .init(maxInFlightPerTarget: 1, retry: policy, attemptTimeout: nil, waits: .handedBack),
            clock: clock, onEvent: recorder.record)
        let runner = HoldingRunner()
        for lead in ["L1", "L2", "L3"] { engine.submit(DeliveryJob(leadID: lead, runner: runner, input: .push(lead), target: demoTarget)) }
        engine.submit(DeliveryJob(leadID: "L4", runner: runner, input: .push("L4"), target: demoTarget, attempt: 2))
        let waiting = engine.stopStarting()
        XCTAssertEqual(waiting.map(\.leadID), ["L2", "L3", "L4"])
        XCTAssertEqual(waiting.map(\.state), [.pending, .pending, .retry(at: clock.now(), attempt: 2)])
        XCTAssertEqual(engine.unfinished, 1, "only the attempt in flight")
        engine.submit(DeliveryJob(leadID: "L5", runner: runner, input: .push("L5"), target: demoTarget))
        XCTAssertEqual(runner.callCount, 1, "nothing starts once stopping")
        runner.finish(ScriptedRunner.result(Outcome(.accepted)))
        _ = await engine.shutdown()
        XCTAssertEqual(recorder.states("L1").last, .accepted)
    }
}
