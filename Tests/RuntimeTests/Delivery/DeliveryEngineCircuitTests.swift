import IntegrationRuntime
import Synchronization
import XCTest

/// The engine holding a failing target's leads, probing it and resuming; and the in-flight bound.
final class DeliveryEngineCircuitTests: XCTestCase {
    let clock = ManualDeliveryClock()
    let recorder = DeliveryRecorder()
    let healthy = Switch()

    func makeEngine(inFlight: Int = 64) -> (DeliveryEngine, ScriptedRunner) {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 1, multiplier: 1, maxDelay: 1, jitter: .none)
        let engine = DeliveryEngine(
            configuration: .init(
                maxInFlightPerTarget: inFlight, retry: policy,
                circuit: .init(failureThreshold: 3, cooldown: 30), attemptTimeout: nil),
            clock: clock, onEvent: recorder.record)
        let runner = ScriptedRunner { [healthy] _ in
            healthy.isOn
                ? ScriptedRunner.result(Outcome(.accepted))
                : ScriptedRunner.result(Outcome(.retry, reason: .timeout), failure: .timeout)
        }
        return (engine, runner)
    }

    func submit(_ lead: String, _ engine: DeliveryEngine, _ runner: ScriptedRunner, target: DeliveryTarget = demoTarget) {
        engine.submit(DeliveryJob(leadID: lead, runner: runner, input: .push(lead), target: target))
    }

    func testFailuresOpenTheCircuitLeadsWaitThenOneProbeClosesIt() {
        let (engine, runner) = makeEngine()
        let t0 = clock.now()
        for i in 1...3 { submit("L\(i)", engine, runner) }
        XCTAssertEqual(runner.callCount, 3)
        XCTAssertEqual(engine.circuit(of: demoTarget), .open(until: t0 + 30))

        clock.advance(by: 1)  // the three retries fall due and meet the open circuit
        XCTAssertEqual(runner.callCount, 3, "no attempt while open")
        for i in 1...3 { XCTAssertEqual(recorder.states("L\(i)").last, .retry(at: t0 + 30, attempt: 2), "L\(i)") }
        submit("L4", engine, runner)
        XCTAssertEqual(recorder.states("L4"), [.pending, .retry(at: t0 + 30, attempt: 1)], "a new lead waits too")
        XCTAssertEqual(runner.callCount, 3)

        let other = DeliveryTarget(integration: "demo", offer: "2")
        healthy.turnOn()
        submit("O1", engine, runner, target: other)
        XCTAssertEqual(recorder.states("O1").last, .accepted, "another offer's circuit is its own")

        clock.advance(by: 28.9)
        XCTAssertEqual(runner.callCount, 4)
        clock.advance(by: 0.1)
        XCTAssertEqual(engine.circuit(of: demoTarget), .closed(consecutiveFailures: 0))
        XCTAssertEqual(runner.callCount, 8, "the probe succeeded, then the four waiting leads went")
        for i in 1...4 { XCTAssertEqual(recorder.states("L\(i)").last, .accepted, "L\(i)") }
        XCTAssertEqual(engine.unfinished, 0)
    }

    func testAFailedProbeReopensAndOnlyTheProbeIsSent() {
        let (engine, runner) = makeEngine()
        let t0 = clock.now()
        for i in 1...5 { submit("L\(i)", engine, runner) }
        XCTAssertEqual(runner.callCount, 3, "L4 and L5 wait: the third failure opened the circuit")
        clock.advance(by: 30)
        XCTAssertEqual(runner.callCount, 4, "one probe")
        XCTAssertEqual(engine.circuit(of: demoTarget), .open(until: t0 + 60))
        XCTAssertEqual(engine.unfinished, 5, "no lead lost while the target is down")
        for i in 1...5 {
            guard case .retry(let at, _) = recorder.states("L\(i)").last else { return XCTFail("L\(i): \(recorder.states("L\(i)"))") }
            XCTAssertLessThanOrEqual(at, t0 + 60)
        }
        healthy.turnOn()
        clock.advance(by: 30)
        XCTAssertEqual(engine.circuit(of: demoTarget), .closed(consecutiveFailures: 0))
        XCTAssertEqual(Set(recorder.last.values), [.accepted])
        XCTAssertEqual(runner.callCount, 9, "the second probe, then the four others")
    }

    func testAttemptsBeyondTheBoundWaitTheirTurnInOrder() async {
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(inFlight: 4), onEvent: recorder.record)
        let a = ScriptedRunner(delay: 0.05) { _ in ScriptedRunner.result(Outcome(.accepted)) }
        let b = ScriptedRunner(delay: 0.05) { _ in ScriptedRunner.result(Outcome(.accepted)) }
        let otherTarget = DeliveryTarget(integration: "demo", offer: "2")
        for i in 0..<40 {
            engine.submit(DeliveryJob(leadID: "A\(i)", runner: a, input: .push("A\(i)"), target: demoTarget))
            engine.submit(DeliveryJob(leadID: "B\(i)", runner: b, input: .push("B\(i)", offer: "2"), target: otherTarget))
        }
        XCTAssertEqual(engine.inFlight, 8)
        await engine.drain()
        XCTAssertEqual(a.maxConcurrent, 4)
        XCTAssertEqual(b.maxConcurrent, 4, "each target has its own bound")
        let started = recorder.all.filter { $0.leadID.hasPrefix("A") && $0.state == .sending(attempt: 1) }.map(\.leadID)
        XCTAssertEqual(started, (0..<40).map { "A\($0)" }, "attempts start first come, first served")
        XCTAssertEqual(recorder.last.count, 80)
        XCTAssertEqual(Set(recorder.last.values), [.accepted])
    }

    func testEventsMayResubmitFromTheCallback() async {
        let engineBox = Mutex<DeliveryEngine?>(nil)
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick()) { event in
            recorder.record(event)
            if event.state == .rejected, event.leadID == "first" {
                let runner = ScriptedRunner { _ in ScriptedRunner.result(Outcome(.accepted)) }
                engineBox.withLock { $0 }?.submit(DeliveryJob(leadID: "second", runner: runner, input: .push("second"), target: demoTarget))
            }
        }
        engineBox.withLock { $0 = engine }
        engine.submit(
            DeliveryJob(
                leadID: "first", runner: ScriptedRunner { _ in ScriptedRunner.result(Outcome(.rejected)) },
                input: .push("first"), target: demoTarget))
        await engine.drain()
        XCTAssertEqual(recorder.last, ["first": .rejected, "second": .accepted])
        engineBox.withLock { $0 = nil }
    }

    /// A runner that answers inside `submit` (as a stopped pool does) must not make the
    /// engine recurse once per waiting lead.
    func testInlineAnswersForManyWaitingLeadsDoNotRecurse() async {
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(inFlight: 1), onEvent: recorder.record)
        let runner = ScriptedRunner { _ in CallResult(value: .outcome(.error("no VM is available (the pool is stopped)"))) }
        let blocker = HoldingRunner()
        engine.submit(DeliveryJob(leadID: "first", runner: blocker, input: .push("first"), target: demoTarget))
        for i in 0..<20_000 { engine.submit(DeliveryJob(leadID: "L\(i)", runner: runner, input: .push("L\(i)"), target: demoTarget)) }
        XCTAssertEqual(runner.callCount, 0, "all wait behind the first")
        blocker.finish(ScriptedRunner.result(Outcome(.accepted)))
        await engine.drain()
        XCTAssertEqual(runner.callCount, 20_000)
        XCTAssertEqual(recorder.all.filter { $0.state == .error }.count, 20_000)
        let order = recorder.all.filter { $0.state == .sending(attempt: 1) }.map(\.leadID)
        XCTAssertEqual(order, ["first"] + (0..<20_000).map { "L\($0)" })
    }
}

/// A flag tests flip while the engine runs.
final class Switch: Sendable {
    private let on = Atomic<Bool>(false)
    var isOn: Bool { on.load(ordering: .relaxed) }
    func turnOn() { on.store(true, ordering: .relaxed) }
}
