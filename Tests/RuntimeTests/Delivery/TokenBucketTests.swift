import IntegrationRuntime
import XCTest

final class TokenBucketTests: XCTestCase {
    func testAFullBucketLetsCapacityThroughThenNothingUntilThePeriodIsOver() {
        var bucket = TokenBucket(RateLimit("10/3s")!)
        XCTAssertEqual(bucket.available(now: 100), 10)
        for i in 0..<10 { XCTAssertTrue(bucket.take(now: 100), "token \(i)") }
        XCTAssertFalse(bucket.take(now: 100))
        XCTAssertFalse(bucket.take(now: 102.999))
        XCTAssertEqual(bucket.nextToken(now: 101), 103)
        XCTAssertTrue(bucket.take(now: 103))
    }

    func testEachTokenComesBackOnePeriodAfterItWasSpent() {
        var bucket = TokenBucket(capacity: 3, period: 1)
        XCTAssertTrue(bucket.take(now: 0))
        XCTAssertTrue(bucket.take(now: 0.4))
        XCTAssertTrue(bucket.take(now: 0.8))
        XCTAssertFalse(bucket.take(now: 0.9))
        XCTAssertEqual(bucket.nextToken(now: 0.9), 1)
        XCTAssertTrue(bucket.take(now: 1.0))
        XCTAssertFalse(bucket.take(now: 1.2))
        XCTAssertEqual(bucket.nextToken(now: 1.2), 1.4)
        XCTAssertEqual(bucket.available(now: 1.4), 1)
        XCTAssertEqual(bucket.available(now: 1.9), 2)
        XCTAssertEqual(bucket.available(now: 2.0), 3)
        XCTAssertEqual(bucket.available(now: 10), 3)
    }

    /// A continuous bucket would let 19 through in the first 3 s of a burst; this one never
    /// lets more than `capacity` into any window of `period` seconds.
    func testNoWindowOfThePeriodHoldsMoreThanCapacityUnderASteadyBurst() {
        var bucket = TokenBucket(capacity: 10, period: 3)
        var sent: [Double] = []
        var now = 0.0
        while now < 30 {
            if bucket.take(now: now) { sent.append(now) }
            now += 0.01
        }
        XCTAssertEqual(sent.count, 100, "10 per 3 s over 30 s")
        for (i, t) in sent.enumerated() where i + 10 < sent.count {
            XCTAssertGreaterThanOrEqual(sent[i + 10] - t, 3 - 1e-9, "11 requests within 3 s from \(t)")
        }
    }

    func testNextTokenIsNowWhileTokensAreLeftAndCapacityIsAtLeastOne() {
        var bucket = TokenBucket(capacity: 0, period: 5)
        XCTAssertEqual(bucket.capacity, 1)
        XCTAssertEqual(bucket.nextToken(now: 7), 7)
        XCTAssertTrue(bucket.take(now: 7))
        XCTAssertEqual(bucket.nextToken(now: 8), 12)
    }

    func testRateLimitTextForms() {
        XCTAssertEqual(RateLimit("100/1m").map { TokenBucket($0) }?.period, 60)
        XCTAssertEqual(RateLimit("5/s").map { TokenBucket($0) }?.capacity, 5)
    }
}
