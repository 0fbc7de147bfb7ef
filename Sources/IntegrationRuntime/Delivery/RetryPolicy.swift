import Foundation

/// When a lead whose call ended `retry` is tried again, and when the delivery engine gives up.
///
/// Attempt `n` (1 for the first try) that ended `retry` is followed by attempt `n + 1`
/// after a delay, while `n < maxAttempts`:
/// - the outcome's `retry_after`, when the script gave one, capped at `maxRetryAfter`;
/// - else the exponential ceiling `min(maxDelay, baseDelay * multiplier^(n-1))` spread by
///   the jitter: `.none` waits the ceiling, `.full` a uniform time in `[0, ceiling]`,
///   `.decorrelated` a uniform time in `[baseDelay, previous * multiplier]` capped at
///   `maxDelay` (`previous` is the delay before this one, `baseDelay` at first).
///
/// The random part is an argument (`unit`, in `[0, 1)`), so the policy is a pure function.
public struct RetryPolicy: Sendable, Equatable {
    /// How the exponential delay is spread so that leads failing together do not come back together.
    public enum Jitter: String, Sendable, Equatable {
        case none, full, decorrelated
    }

    /// Tries in all, the first one included.
    public var maxAttempts: Int
    public var baseDelay: Double
    public var multiplier: Double
    public var maxDelay: Double
    public var jitter: Jitter
    /// The longest `retry_after` honoured; a script asking for more waits this long.
    public var maxRetryAfter: Double

    public init(
        maxAttempts: Int = 10, baseDelay: Double = 2, multiplier: Double = 2, maxDelay: Double = 300,
        jitter: Jitter = .full, maxRetryAfter: Double = 3600
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.multiplier = max(1, multiplier)
        self.maxDelay = max(self.baseDelay, maxDelay)
        self.jitter = jitter
        self.maxRetryAfter = max(0, maxRetryAfter)
    }

    /// Ten tries; waits with ceilings 2, 4, ... 256, 300 s and full jitter: all nine retries
    /// within 13.5 minutes at most, about half that on average.
    public static let `default` = RetryPolicy()

    /// Whether a lead whose attempt `attempt` ended `retry` gets another one.
    public func allowsAnother(after attempt: Int) -> Bool { attempt < maxAttempts }

    /// The exponential ceiling after attempt `attempt`, before jitter.
    public func ceiling(after attempt: Int) -> Double {
        let exponent = Double(max(0, attempt - 1))
        let raw = baseDelay * pow(multiplier, exponent)
        return raw.isFinite ? min(maxDelay, raw) : maxDelay
    }

    /// Seconds to wait after attempt `attempt` ended `retry`.
    /// - Parameters:
    ///   - retryAfter: the outcome's `retry_after`, which wins when given.
    ///   - previous: the delay before this attempt (for `.decorrelated`), nil after the first.
    ///   - unit: a random number in `[0, 1)`.
    public func delay(after attempt: Int, retryAfter: Double?, previous: Double?, unit: Double) -> Double {
        if let retryAfter, retryAfter.isFinite, retryAfter >= 0 { return min(retryAfter, maxRetryAfter) }
        let u = min(max(unit, 0), 1)
        switch jitter {
        case .none:
            return ceiling(after: attempt)
        case .full:
            return ceiling(after: attempt) * u
        case .decorrelated:
            let low = baseDelay
            let high = max(low, min(maxDelay, (previous ?? baseDelay) * multiplier))
            return min(maxDelay, low + (high - low) * u)
        }
    }
}
