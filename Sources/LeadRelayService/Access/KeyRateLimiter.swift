import IntegrationRuntime
import Synchronization

/// Each API key's request rate (`APIKey.rate`), counted in this process with a token bucket
/// per key: a request over the rate is refused with the seconds until the next one fits.
/// Several processes sharing a store each count their own (issue 14 shares the count).
final class KeyRateLimiter: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// nil when the key may make a request at `now` (it is counted); else the seconds to wait.
    func admit(_ keyID: String, _ rate: RateLimit, now: Double) -> Double? {
        buckets.withLock { buckets in
            var bucket = buckets[keyID] ?? TokenBucket(rate)
            if bucket.capacity != rate.count || bucket.period != rate.seconds { bucket = TokenBucket(rate) }  // the rate changed
            defer { buckets[keyID] = bucket }
            if bucket.take(now: now) { return nil }
            return max(0.001, bucket.nextToken(now: now) - now)
        }
    }
}
