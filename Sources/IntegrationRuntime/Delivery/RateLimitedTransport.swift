import Dispatch
import OutboundHTTP
import Synchronization

/// Holds every request of one integration to its `limits.rate` before passing it to the
/// wrapped transport.
///
/// A pool hands its one transport to all its VMs, so one `RateLimitedTransport` per pool
/// is one bucket shared by every VM of the integration. Requests that find the bucket
/// empty wait in a FIFO queue; a single timer, armed for the moment the next token comes
/// back, releases them (no thread spins or sleeps per request). Requests never fail here:
/// the wait only delays them, and their own `timeout` starts once they are sent.
///
///     let limited = RateLimitedTransport(wrapping: LiveTransport(), limit: RateLimit("10/3s"))
///     let pool = try IntegrationPool(catalog: catalog, name: "irev", transport: limited)
public final class RateLimitedTransport: HTTPTransport {
    struct Waiting {
        var request: OutboundRequest
        var completion: @Sendable (OutboundResponse) -> Void
    }

    struct State {
        var limit: RateLimit?
        var bucket: TokenBucket?
        var queue: [Waiting] = []
        var head = 0
        var timerArmed = false

        var waitingCount: Int { queue.count - head }

        /// Takes the waiting requests the bucket lets through at `now`, in order.
        mutating func release(now: Double) -> [Waiting] {
            var out: [Waiting] = []
            while head < queue.count {
                if var bucket {
                    guard bucket.take(now: now) else { self.bucket = bucket; break }
                    self.bucket = bucket
                }
                out.append(queue[head])
                head += 1
            }
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return out
        }
    }

    public let base: any HTTPTransport
    /// Extra seconds a spent token stays out beyond the limit's window. The network counts
    /// requests when they arrive, not when they were sent: without a margin, a request sent
    /// the instant its token comes back can land inside the window of the one it replaces
    /// (measured against the sandbox: 8 of 30 IREV checks refused with 429).
    /// nil: a tenth of the limit's window, at least 0.25 s.
    public let margin: Double?
    private let clock: @Sendable () -> Double
    private let timerQueue = DispatchQueue(label: "leadrelay.rate-limit")
    private let state: Mutex<State>

    /// Wraps `base`; `limit` nil passes every request straight through.
    /// `margin` nil: a tenth of the limit's window, at least 0.25 s.
    /// `clock` gives monotonic seconds (default: the process's monotonic clock).
    public init(wrapping base: any HTTPTransport, limit: RateLimit?, margin: Double? = nil,
                clock: @escaping @Sendable () -> Double = { Double(SystemClock.monotonicNanos()) / 1e9 }) {
        self.base = base
        self.clock = clock
        self.margin = margin
        state = Mutex(State(limit: limit, bucket: limit.map { Self.bucket(for: $0, margin: margin) }))
    }

    /// A bucket for `limit` whose tokens come back after its window plus the margin.
    static func bucket(for limit: RateLimit, margin: Double?) -> TokenBucket {
        let extra = margin ?? max(0.25, limit.seconds / 10)
        return TokenBucket(capacity: limit.count, period: limit.seconds + extra)
    }

    /// The limit in force (nil: none).
    public var limit: RateLimit? { state.withLock { $0.limit } }

    /// Replaces the limit (a reload changed `limits.rate`); a different limit starts with a
    /// full bucket, the same one changes nothing.
    public func setLimit(_ limit: RateLimit?) {
        state.withLock { s in
            guard s.limit != limit else { return }
            s.limit = limit
            s.bucket = limit.map { Self.bucket(for: $0, margin: margin) }
        }
        releaseDue()
    }

    /// Requests waiting for a token.
    public var waiting: Int { state.withLock { $0.waitingCount } }

    public func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    public func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        let now = clock()
        let sendNow = state.withLock { s -> Bool in
            if s.waitingCount == 0 {
                guard var bucket = s.bucket else { return true }
                defer { s.bucket = bucket }
                if bucket.take(now: now) { return true }
            }
            s.queue.append(Waiting(request: request, completion: completion))
            return false
        }
        if sendNow { return base.perform(request, completion: completion) }
        releaseDue()
    }

    /// Sends what the bucket allows now and arms the timer for the rest.
    private func releaseDue() {
        let now = clock()
        let (ready, wakeAt) = state.withLock { s -> ([Waiting], Double?) in
            let ready = s.release(now: now)
            guard s.waitingCount > 0, !s.timerArmed, let bucket = s.bucket else { return (ready, nil) }
            s.timerArmed = true
            return (ready, bucket.nextToken(now: now))
        }
        if let wakeAt {
            let nanos = Int(max(0, wakeAt - now) * 1e9) + 1000
            timerQueue.asyncAfter(deadline: .now() + .nanoseconds(nanos)) { [self] in
                state.withLock { $0.timerArmed = false }
                releaseDue()
            }
        }
        for waiting in ready { base.perform(waiting.request, completion: waiting.completion) }
    }
}
