/// The requests an integration may still send under its `limits.rate`: `capacity` tokens,
/// each one coming back `period` seconds after it was spent.
///
/// Refilling per token (rather than continuously, `capacity / period` per second) is what
/// honours a limit worded like IREV's "10 requests in 3 seconds" in every window: a
/// continuous bucket that starts full lets a burst of 10 through at once and then one more
/// every 0.3 s, so 19 requests land inside the first 3 s and the network answers 429.
/// Here no window of `period` seconds ever holds more than `capacity` requests.
///
/// Time is passed in (`now`, seconds on any clock that does not go backwards), so the
/// bucket is a plain value with no clock of its own.
///
///     var bucket = TokenBucket(RateLimit("10/3s")!)
///     bucket.take(now: 0)          // true, 9 left
///     bucket.nextToken(now: 0)     // 0 while tokens are left, else when the next one is back
public struct TokenBucket: Sendable, Equatable {
    public let capacity: Int
    public let period: Double
    /// When each of the last `capacity` tokens was spent, oldest at `oldest` (a ring).
    private var spentAt: [Double]
    private var oldest = 0

    /// A full bucket of `capacity` tokens (at least 1), each back `period` seconds after use.
    public init(capacity: Int, period: Double) {
        self.capacity = max(1, capacity)
        self.period = max(0, period)
        spentAt = Array(repeating: -Double.infinity, count: self.capacity)
    }

    /// A full bucket for a script's `limits.rate`.
    public init(_ limit: RateLimit) { self.init(capacity: limit.count, period: limit.seconds) }

    /// Takes a token if one is available at `now`.
    public mutating func take(now: Double) -> Bool {
        guard spentAt[oldest] + period <= now else { return false }
        spentAt[oldest] = now
        oldest = (oldest + 1) % capacity
        return true
    }

    /// Tokens available at `now`.
    public func available(now: Double) -> Int {
        var n = 0
        for stamp in spentAt where stamp + period <= now { n += 1 }
        return n
    }

    /// The earliest time at or after `now` when `take` succeeds.
    public func nextToken(now: Double) -> Double { max(now, spentAt[oldest] + period) }
}
