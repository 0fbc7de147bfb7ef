import IntegrationRuntime
import XCTest

final class RetryPolicyTests: XCTestCase {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: 2, multiplier: 3, maxDelay: 60, jitter: .none, maxRetryAfter: 120)

    func testCeilingGrowsByTheMultiplierUpToTheMaximum() {
        XCTAssertEqual((1...6).map { policy.ceiling(after: $0) }, [2, 6, 18, 54, 60, 60])
        XCTAssertEqual(policy.ceiling(after: 10_000), 60, "no overflow for absurd attempts")
    }

    func testFullJitterStaysWithinZeroAndTheCeiling() {
        var full = policy
        full.jitter = .full
        XCTAssertEqual(full.delay(after: 3, retryAfter: nil, previous: nil, unit: 0), 0)
        XCTAssertEqual(full.delay(after: 3, retryAfter: nil, previous: nil, unit: 0.5), 9)
        for i in 0..<100 {
            let unit = Double(i) / 100
            let d = full.delay(after: 4, retryAfter: nil, previous: nil, unit: unit)
            XCTAssertTrue((0...54).contains(d), "\(d) for unit \(unit)")
        }
    }

    func testDecorrelatedJitterStaysBetweenBaseAndPreviousTimesMultiplier() {
        var decorrelated = policy
        decorrelated.jitter = .decorrelated
        XCTAssertEqual(decorrelated.delay(after: 1, retryAfter: nil, previous: nil, unit: 0), 2)
        XCTAssertEqual(decorrelated.delay(after: 1, retryAfter: nil, previous: nil, unit: 1), 6)
        XCTAssertEqual(decorrelated.delay(after: 2, retryAfter: nil, previous: 10, unit: 1), 30)
        XCTAssertEqual(decorrelated.delay(after: 5, retryAfter: nil, previous: 50, unit: 1), 60, "capped")
        for i in 0..<100 {
            let d = decorrelated.delay(after: 3, retryAfter: nil, previous: 8, unit: Double(i) / 100)
            XCTAssertTrue((2...24).contains(d), "\(d)")
        }
    }

    func testRetryAfterWinsOverTheBackoffAndIsCapped() {
        XCTAssertEqual(policy.delay(after: 1, retryAfter: 7, previous: nil, unit: 0.3), 7)
        XCTAssertEqual(policy.delay(after: 4, retryAfter: 0, previous: nil, unit: 0.3), 0)
        XCTAssertEqual(policy.delay(after: 1, retryAfter: 10_000, previous: nil, unit: 0.3), 120)
        XCTAssertEqual(policy.delay(after: 2, retryAfter: -1, previous: nil, unit: 0.3), 6, "a negative retry_after is ignored")
    }

    func testAttemptsStopAtTheMaximum() {
        XCTAssertTrue(policy.allowsAnother(after: 4))
        XCTAssertFalse(policy.allowsAnother(after: 5))
        XCTAssertFalse(RetryPolicy(maxAttempts: 0).allowsAnother(after: 1), "at least one attempt, never a retry below it")
    }
}
