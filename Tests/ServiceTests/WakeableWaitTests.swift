import IntegrationRuntime
import Synchronization
import XCTest

@testable import LeadRelayService

/// The loops' pause (`WakeableWait`), on a clock whose wake-ups fire only when the test says.
final class WakeableWaitTests: XCTestCase {
    /// Keeps the wake-ups asked for; `fire()` runs them.
    final class HeldClock: DeliveryClock {
        private let wakeUps = Mutex<[@Sendable () -> Void]>([])
        func now() -> Double { 0 }
        func wake(at deadline: Double, _ body: @escaping @Sendable () -> Void) { wakeUps.withLock { $0.append(body) } }
        var asked: Int { wakeUps.withLock { $0.count } }
        func fire() { for body in wakeUps.withLock({ $0 }) { body() } }
    }

    func testAWakeBeforeTheWaitIsKeptAndEndsTheNextWaitOnly() async {
        let pause = WakeableWait()
        let clock = HeldClock()
        pause.wake()
        await pause.wait(until: 10, on: clock)  // returns: the wake was kept
        let second = Task { await pause.wait(until: 10, on: clock) }
        while clock.asked < 2 { await Task.yield() }
        clock.fire()  // its time is up
        await second.value
        XCTAssertEqual(clock.asked, 2, "each wait asked the clock for its wake-up")
    }

    func testStopEndsTheWaitUnderWayAndEveryLaterOne() async {
        let pause = WakeableWait()
        let clock = HeldClock()
        let waiting = Task { await pause.wait(until: 10, on: clock) }
        while clock.asked < 1 { await Task.yield() }
        pause.stop()
        await waiting.value
        await pause.wait(until: 10, on: clock)
        await pause.wait(until: 10, on: clock)
        XCTAssertEqual(clock.asked, 3)
    }
}
