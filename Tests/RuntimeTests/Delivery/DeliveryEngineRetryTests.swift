import IntegrationRuntime
import Synchronization
import XCTest

/// Retry timing and the attempt timeout, on a manual clock with a fake runner.
final class DeliveryEngineRetryTests: XCTestCase {
    func testRetryAfterFromTheOutcomeWinsOverTheBackoff() throws {
        let clock = ManualDeliveryClock()
        let recorder = DeliveryRecorder()
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1000, maxDelay: 1000, jitter: .none, maxRetryAfter: 60)
        let engine = DeliveryEngine(configuration: .init(retry: policy, attemptTimeout: nil), clock: clock, onEvent: recorder.record)
        let runner = ScriptedRunner { input in
            input.attempt == 1
                ? ScriptedRunner.result(Outcome(.retry, reason: .rateLimited, retryAfter: 7), status: 429)
                : input.attempt == 2
                    ? ScriptedRunner.result(Outcome(.retry, reason: .rateLimited, retryAfter: 86_400), status: 429)
                    : ScriptedRunner.result(Outcome(.accepted))
        }
        let t0 = clock.now()
        engine.submit(DeliveryJob(leadID: "L", runner: runner, input: .push("L"), target: demoTarget))
        XCTAssertEqual(recorder.states("L").last, .retry(at: t0 + 7, attempt: 2))
        clock.advance(by: 6.9)
        XCTAssertEqual(runner.callCount, 1)
        clock.advance(by: 0.1)
        XCTAssertEqual(runner.callCount, 2)
        XCTAssertEqual(recorder.states("L").last, .retry(at: t0 + 7 + 60, attempt: 3), "capped at maxRetryAfter")
        clock.advance(by: 60)
        XCTAssertEqual(recorder.states("L").last, .accepted)
        XCTAssertEqual(runner.calls.withLock { $0.map(\.attempt) }, [1, 2, 3])
        XCTAssertEqual(
            runner.calls.withLock { $0.map(\.now) }, [t0, t0 + 7, t0 + 67].map { Int64($0) }, "each attempt gets the clock's now")
    }

    func testBackoffGrowsWithJitterFromTheInjectedSourceThenGivesUp() throws {
        let clock = ManualDeliveryClock()
        let recorder = DeliveryRecorder()
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: 2, multiplier: 2, maxDelay: 100, jitter: .full)
        let engine = DeliveryEngine(
            configuration: .init(retry: policy, attemptTimeout: nil), clock: clock,
            random: { 0.5 }, onEvent: recorder.record)
        let runner = ScriptedRunner { _ in ScriptedRunner.result(Outcome(.retry, reason: .unknown, message: "busy")) }
        engine.submit(DeliveryJob(leadID: "L", runner: runner, input: .push("L"), target: demoTarget))
        var delays: [Double] = []
        for _ in 0..<3 {
            guard case .retry(let at, _) = recorder.states("L").last else { return XCTFail("\(recorder.states("L"))") }
            delays.append(at - clock.now())
            clock.advance(by: at - clock.now())
        }
        XCTAssertEqual(delays, [1, 2, 4], "half of the 2, 4, 8 s ceilings")
        XCTAssertEqual(recorder.states("L").last, .error)
        XCTAssertEqual(runner.callCount, 4)
        XCTAssertEqual(
            recorder.of("L").last?.outcome?.message,
            "gave up after 4 attempts: the last one ended retry (unknown): busy; the lead is kept for redelivery")
    }

    func testRejectedIsNeverRetriedAndAcceptedEndsAtOnce() {
        let clock = ManualDeliveryClock()
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(), clock: clock, onEvent: recorder.record)
        let runner = ScriptedRunner { input in
            ScriptedRunner.result(input.lead == .object(["id": .string("R")]) ? Outcome(.rejected, reason: .duplicate) : Outcome(.accepted))
        }
        for lead in ["R", "A"] { engine.submit(DeliveryJob(leadID: lead, runner: runner, input: .push(lead), target: demoTarget)) }
        clock.advance(by: 3600)
        XCTAssertEqual(runner.callCount, 2)
        XCTAssertEqual(recorder.last, ["R": .rejected, "A": .accepted])
        XCTAssertEqual(engine.unfinished, 0)
    }

    func testStatusUpdatesForADeliveryAreAnErrorThatKeepsTheLead() {
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(), clock: ManualDeliveryClock(), onEvent: recorder.record)
        let runner = ScriptedRunner { _ in CallResult(value: .updates([])) }
        engine.submit(DeliveryJob(leadID: "L", runner: runner, input: .push("L"), target: demoTarget))
        XCTAssertEqual(recorder.states("L").last, .error)
        XCTAssertEqual(
            recorder.of("L").last?.outcome?.message,
            "demo: the push call returned status updates; a delivery needs an outcome (accepted, rejected or retry)")
    }

    func testAnAttemptWithoutAResultEndsAsErrorAndItsLateResultIsReported() {
        let clock = ManualDeliveryClock()
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(attemptTimeout: 5), clock: clock, onEvent: recorder.record)
        let runner = HoldingRunner()
        engine.submit(DeliveryJob(leadID: "L", runner: runner, input: .push("L"), target: demoTarget))
        XCTAssertEqual(engine.inFlight, 1)
        clock.advance(by: 4.9)
        XCTAssertEqual(recorder.states("L").last, .sending(attempt: 1))
        clock.advance(by: 0.1)
        XCTAssertEqual(recorder.states("L").last, .error)
        XCTAssertEqual(recorder.of("L").last?.outcome?.reason, .timeout)
        XCTAssertEqual(engine.inFlight, 0, "the slot is free again")
        XCTAssertEqual(engine.unfinished, 0)
        XCTAssertEqual(runner.callCount, 1, "not sent again: the network may have it")

        runner.finish(ScriptedRunner.result(Outcome(.accepted, externalID: "X-9")))
        let late = recorder.of("L").last
        XCTAssertEqual(late?.late, true)
        XCTAssertEqual(late?.state, .error)
        XCTAssertEqual(late?.outcome?.externalID, "X-9")
    }

    func testShutdownWaitsForAttemptsInFlightAndHandsBackWhatIsLeft() async {
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(inFlight: 1), onEvent: recorder.record)
        let runner = ScriptedRunner(delay: 0.05) { input in
            input.lead == .object(["id": .string("R")])
                ? ScriptedRunner.result(Outcome(.retry, reason: .rateLimited, retryAfter: 60), status: 429)
                : ScriptedRunner.result(Outcome(.accepted))
        }
        for lead in ["R", "A1", "A2"] { engine.submit(DeliveryJob(leadID: lead, runner: runner, input: .push(lead), target: demoTarget)) }
        let left = await engine.shutdown()
        XCTAssertEqual(engine.inFlight, 0)
        XCTAssertEqual(runner.callCount, 1, "nothing starts once stopping")
        XCTAssertEqual(left.map(\.leadID), ["R", "A1", "A2"])
        guard case .retry(_, 2)? = left.first?.state else { return XCTFail("\(left.map(\.state))") }
        XCTAssertEqual(left.dropFirst().map(\.state), [.pending, .pending])
        XCTAssertEqual(recorder.last, ["R": left[0].state, "A1": .pending, "A2": .pending], "the events already said so")

        engine.submit(DeliveryJob(leadID: "late", runner: runner, input: .push("late"), target: demoTarget))
        XCTAssertEqual(engine.unfinished, 4)
        XCTAssertEqual(runner.callCount, 1)
    }
}

/// Keeps every call open until the test finishes it.
final class HoldingRunner: CallRunner {
    let held = Mutex<[@Sendable (CallResult) -> Void]>([])

    var callCount: Int { held.withLock { $0.count } }

    func submit(_ input: CallInput, completion: @escaping @Sendable (CallResult) -> Void) {
        held.withLock { $0.append(completion) }
    }

    func finish(_ result: CallResult) {
        for completion in held.withLock({ $0 }) { completion(result) }
    }
}
