import IntegrationRuntime
import XCTest

@testable import LeadRelayService

/// The dispatcher's writer takes the engine's events in batches, in order, and stops once
/// the queue is finished and drained.
final class DeliveryEventQueueTests: XCTestCase {
    func event(_ id: String) -> DeliveryEvent {
        DeliveryEvent(leadID: id, target: DeliveryTarget(integration: "irev", offer: "7"), state: .pending, attempt: 1)
    }

    func testEventsQueuedMeanwhileComeAsOneBatchInOrder() async {
        let queue = DeliveryEventQueue()
        for id in ["a", "b", "c"] { queue.append(event(id)) }
        let first = await queue.next()
        XCTAssertEqual(first?.map(\.leadID), ["a", "b", "c"])
        queue.append(event("d"))
        let second = await queue.next()
        XCTAssertEqual(second?.map(\.leadID), ["d"], "a batch is what came since the last one")
    }

    func testAWaitingWriterGetsTheNextEvent() async {
        let queue = DeliveryEventQueue()
        let taker = Task { await queue.next() }
        // Appended whether or not the taker already waits: it gets the event either way.
        queue.append(event("a"))
        let batch = await taker.value
        XCTAssertEqual(batch?.map(\.leadID), ["a"])
    }

    func testFinishingDrainsWhatIsLeftThenEnds() async {
        let queue = DeliveryEventQueue()
        queue.append(event("a"))
        queue.finish()
        queue.append(event("late"))
        let left = await queue.next()
        XCTAssertEqual(left?.map(\.leadID), ["a"], "nothing is taken after finish")
        let end = await queue.next()
        XCTAssertNil(end)
        let waiting = DeliveryEventQueue()
        let taker = Task { await waiting.next() }
        waiting.finish()
        let ended = await taker.value
        XCTAssertNil(ended, "a writer waiting when the queue finishes is let go")
    }
}
