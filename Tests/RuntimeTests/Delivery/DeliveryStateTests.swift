import IntegrationRuntime
import XCTest

final class DeliveryStateTests: XCTestCase {
    func testHappyPathAndRetries() throws {
        var s = DeliveryState.pending
        try s.apply(.send)
        XCTAssertEqual(s, .sending(attempt: 1))
        try s.apply(.retry(at: 50))
        XCTAssertEqual(s, .retry(at: 50, attempt: 2))
        try s.apply(.hold(until: 80))
        XCTAssertEqual(s, .retry(at: 80, attempt: 2), "a hold postpones without using an attempt")
        try s.apply(.send)
        XCTAssertEqual(s, .sending(attempt: 2))
        try s.apply(.accept)
        XCTAssertEqual(s, .accepted)
        XCTAssertTrue(s.isFinal)
    }

    func testEveryFinalStateIsReachableFromSending() throws {
        XCTAssertEqual(try DeliveryState.sending(attempt: 3).applying(.reject), .rejected)
        XCTAssertEqual(try DeliveryState.sending(attempt: 3).applying(.fail), .error)
        XCTAssertEqual(try DeliveryState.sending(attempt: 3).applying(.accept), .accepted)
        XCTAssertEqual(try DeliveryState.pending.applying(.hold(until: 9)), .retry(at: 9, attempt: 1))
        XCTAssertEqual(try DeliveryState.pending.applying(.fail), .error)
        XCTAssertEqual(try DeliveryState.retry(at: 1, attempt: 4).applying(.fail), .error)
    }

    func testIllegalTransitionsAreErrorsNamingBothStates() {
        let illegal: [(DeliveryState, DeliveryState.Event)] = [
            (.pending, .accept), (.pending, .reject), (.pending, .retry(at: 1)),
            (.sending(attempt: 1), .send), (.sending(attempt: 1), .hold(until: 5)),
            (.retry(at: 1, attempt: 2), .accept), (.retry(at: 1, attempt: 2), .retry(at: 3)),
            (.accepted, .send), (.accepted, .fail), (.rejected, .retry(at: 1)), (.error, .send), (.error, .accept),
        ]
        for (state, event) in illegal {
            XCTAssertThrowsError(try state.applying(event), "\(state) + \(event)") { error in
                guard let error = error as? DeliveryTransitionError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.from, state)
                XCTAssertEqual(error.event, event)
            }
        }
        XCTAssertThrowsError(try DeliveryState.rejected.applying(.send)) {
            XCTAssertEqual("\($0)", "a delivery already rejected is final and cannot send; submit the lead again to redeliver it")
        }
        XCTAssertThrowsError(try DeliveryState.pending.applying(.accept)) {
            XCTAssertEqual("\($0)", "a delivery in state pending cannot accept")
        }
    }

    func testAFailedTransitionLeavesTheStateAsItWas() {
        var s = DeliveryState.sending(attempt: 2)
        XCTAssertThrowsError(try s.apply(.send))
        XCTAssertEqual(s, .sending(attempt: 2))
    }
}
