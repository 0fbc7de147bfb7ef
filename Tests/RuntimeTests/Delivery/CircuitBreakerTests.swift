import IntegrationRuntime
import XCTest

final class CircuitBreakerTests: XCTestCase {
    func breaker() -> CircuitBreaker { CircuitBreaker(.init(failureThreshold: 3, cooldown: 10)) }

    func testOpensAfterConsecutiveFailuresOnly() {
        var c = breaker()
        c.record(.failure, probe: false, now: 1)
        c.record(.failure, probe: false, now: 2)
        c.record(.success, probe: false, now: 3)
        XCTAssertEqual(c.state, .closed(consecutiveFailures: 0), "a success in between resets the count")
        c.record(.failure, probe: false, now: 4)
        c.record(.neutral, probe: false, now: 4.5)
        c.record(.failure, probe: false, now: 5)
        XCTAssertEqual(c.state, .closed(consecutiveFailures: 2), "neutral results change nothing")
        XCTAssertEqual(c.admit(now: 5), .allowed)
        c.record(.failure, probe: false, now: 6)
        XCTAssertEqual(c.state, .open(until: 16))
    }

    func testOpenHoldsUntilTheCooldownThenLetsOneProbeThrough() {
        var c = opened(at: 0)
        XCTAssertEqual(c.admit(now: 5), .wait(until: 10))
        XCTAssertTrue(c.isHolding(now: 5))
        XCTAssertEqual(c.admit(now: 10), .probe)
        XCTAssertEqual(c.state, .halfOpen(probeInFlight: true))
        XCTAssertEqual(c.admit(now: 10), .wait(until: nil), "one probe at a time")
        XCTAssertEqual(c.admit(now: 50), .wait(until: nil))
    }

    func testProbeSuccessClosesProbeFailureReopens() {
        var c = opened(at: 0)
        _ = c.admit(now: 10)
        c.record(.success, probe: true, now: 11)
        XCTAssertEqual(c.state, .closed(consecutiveFailures: 0))

        var d = opened(at: 0)
        _ = d.admit(now: 10)
        d.record(.failure, probe: true, now: 12)
        XCTAssertEqual(d.state, .open(until: 22))
        XCTAssertEqual(d.admit(now: 21), .wait(until: 22))
    }

    func testNeutralProbeFreesTheProbeSlot() {
        var c = opened(at: 0)
        _ = c.admit(now: 10)
        c.record(.neutral, probe: true, now: 11)
        XCTAssertEqual(c.state, .halfOpen(probeInFlight: false))
        XCTAssertEqual(c.admit(now: 11), .probe)
    }

    func testResultsOfAttemptsAdmittedBeforeOpeningDoNotMoveTheCircuit() {
        var c = opened(at: 0)
        c.record(.success, probe: false, now: 1)
        XCTAssertEqual(c.state, .open(until: 10), "a late success does not close an open circuit")
        c.record(.failure, probe: false, now: 2)
        XCTAssertEqual(c.state, .open(until: 10), "nor does a late failure extend it")
        _ = c.admit(now: 10)
        c.record(.failure, probe: false, now: 10.5)
        XCTAssertEqual(c.state, .halfOpen(probeInFlight: true), "only the probe decides")
    }

    func testHealthOfACallResult() {
        typealias E = CircuitBreaker.Event
        XCTAssertEqual(E(result: ScriptedRunner.result(Outcome(.accepted))), .success)
        XCTAssertEqual(E(result: ScriptedRunner.result(Outcome(.rejected, reason: .duplicate), status: 409)), .success)
        XCTAssertEqual(E(result: ScriptedRunner.result(Outcome(.retry, reason: .rateLimited), status: 429)), .success)
        XCTAssertEqual(E(result: ScriptedRunner.result(Outcome(.retry, reason: .unavailable), status: 503)), .failure)
        XCTAssertEqual(E(result: ScriptedRunner.result(Outcome(.retry, reason: .timeout), failure: .timeout)), .failure)
        XCTAssertEqual(E(result: ScriptedRunner.result(.error("boom"), failure: .connect)), .failure)
        XCTAssertEqual(
            E(result: ScriptedRunner.result(Outcome(.accepted), failure: .timeout)), .success,
            "the script saw through a failed side request")
        XCTAssertEqual(
            E(result: CallResult(value: .outcome(Outcome(.rejected, reason: .invalidData)))), .neutral,
            "rejected in prepare: nothing sent")
        XCTAssertEqual(
            E(result: CallResult(value: .outcome(Outcome(.retry, reason: .unavailable)))), .failure,
            "the script's word counts without an exchange")
    }

    private func opened(at now: Double) -> CircuitBreaker {
        var c = breaker()
        for _ in 0..<3 { c.record(.failure, probe: false, now: now) }
        XCTAssertEqual(c.state, .open(until: now + 10))
        return c
    }
}
