import Dispatch
import OutboundHTTP
import Synchronization

/// Holds the requests of one integration to its `limits.rate` before passing them to the
/// wrapped transport.
///
/// A pool hands its one transport to all its VMs, so one `RateLimitedTransport` per pool
/// is shared by every VM of the integration. The limit's `RateScope` says which requests it
/// counts (all, or some methods: IREV limits GETs only) and whether each offer credential
/// has its own bucket (a lane) or the integration has one. A request the scope does not
/// count passes at once. Requests that find their lane's bucket empty wait in that lane's
/// FIFO queue; a single timer, armed for the moment the next token comes back, releases
/// them (no thread spins or sleeps per request). Requests never fail here: the wait only
/// delays them, and the wrapped transport starts their `timeout` once they are sent, so
/// time spent waiting for a token never counts against it.
///
///     let limited = RateLimitedTransport(wrapping: LiveTransport(), limit: RateLimit("10/3s"))
///     let pool = try IntegrationPool(catalog: catalog, name: "irev", transport: limited)
public final class RateLimitedTransport: HTTPTransport {
    struct Waiting {
        var request: OutboundRequest
        var completion: @Sendable (OutboundResponse) -> Void
    }

    /// The bucket and the queue of one credential (or of the whole integration).
    struct Lane {
        var bucket: TokenBucket
        var queue: [Waiting] = []
        var head = 0

        var waitingCount: Int { queue.count - head }

        /// Takes the waiting requests the bucket lets through at `now`, in order.
        mutating func release(now: Double) -> [Waiting] {
            var out: [Waiting] = []
            while head < queue.count, bucket.take(now: now) {
                out.append(queue[head])
                head += 1
            }
            if head > 64 && head * 2 > queue.count || head == queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return out
        }
    }

    struct State {
        var limit: RateLimit?
        var scope = RateScope.all
        var lanes: [CredentialID?: Lane] = [:]
        /// When the armed timer fires, nil when none is armed.
        var timerAt: Double?

        var waitingCount: Int { lanes.values.reduce(0) { $0 + $1.waitingCount } }
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

    /// Wraps `base`; `limit` nil passes every request straight through. `scope` says which
    /// requests the limit counts and how they share buckets (default: all, one bucket).
    /// `margin` nil: a tenth of the limit's window, at least 0.25 s.
    /// `clock` gives monotonic seconds (default: the process's monotonic clock).
    public init(
        wrapping base: any HTTPTransport, limit: RateLimit?, scope: RateScope = .all, margin: Double? = nil,
        clock: @escaping @Sendable () -> Double = { Double(SystemClock.monotonicNanos()) / 1e9 }
    ) {
        self.base = base
        self.clock = clock
        self.margin = margin
        state = Mutex(State(limit: limit, scope: scope))
    }

    /// A bucket for `limit` whose tokens come back after its window plus the margin.
    static func bucket(for limit: RateLimit, margin: Double?) -> TokenBucket {
        let extra = margin ?? max(0.25, limit.seconds / 10)
        return TokenBucket(capacity: limit.count, period: limit.seconds + extra)
    }

    /// The limit in force (nil: none).
    public var limit: RateLimit? { state.withLock { $0.limit } }
    /// Which requests the limit counts.
    public var scope: RateScope { state.withLock { $0.scope } }

    /// Replaces the limit (a reload changed `limits.rate`). A different limit or scope
    /// starts with full buckets and sends the waiting requests it no longer holds; the same
    /// one changes nothing.
    public func setLimit(_ limit: RateLimit?, scope: RateScope = .all) {
        let passing = state.withLock { s -> [Waiting] in
            guard s.limit != limit || s.scope != scope else { return [] }
            let waiting = s.lanes.values.flatMap { $0.queue[$0.head...] }
            s.limit = limit
            s.scope = scope
            s.lanes = [:]
            var passing: [Waiting] = []
            for w in waiting {
                if let key = Self.lane(of: w.request, in: s) {
                    s.lanes[key, default: Lane(bucket: Self.bucket(for: limit!, margin: margin))].queue.append(w)
                } else {
                    passing.append(w)
                }
            }
            return passing
        }
        for w in passing { base.perform(w.request, completion: w.completion) }
        releaseDue()
    }

    /// The lane that holds `request` under `state`'s limit, nil when the limit lets it pass.
    private static func lane(of request: OutboundRequest, in state: State) -> CredentialID?? {
        guard state.limit != nil, state.scope.counts(method: request.method) else { return nil }
        return .some(state.scope.perCredential ? request.credential : nil)
    }

    /// Requests waiting for a token.
    public var waiting: Int { state.withLock { $0.waitingCount } }

    /// Lanes (credentials with their own bucket) currently kept.
    var laneCount: Int { state.withLock { $0.lanes.count } }

    public func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    public func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        let now = clock()
        let sendNow = state.withLock { s -> Bool in
            guard let key = Self.lane(of: request, in: s), let limit = s.limit else { return true }
            var lane = s.lanes[key] ?? Lane(bucket: Self.bucket(for: limit, margin: margin))
            defer { s.lanes[key] = lane }
            if lane.waitingCount == 0, lane.bucket.take(now: now) { return true }
            lane.queue.append(Waiting(request: request, completion: completion))
            return false
        }
        if sendNow { return base.perform(request, completion: completion) }
        releaseDue()
    }

    /// Sends what the buckets allow now, forgets idle lanes, and arms the timer for the
    /// earliest lane still waiting.
    func releaseDue() {
        let now = clock()
        let (ready, wakeAt) = state.withLock { s -> ([Waiting], Double?) in
            var ready: [Waiting] = []
            var next: Double?
            for key in Array(s.lanes.keys) {
                var lane = s.lanes[key]!
                ready += lane.release(now: now)
                if lane.waitingCount == 0 {
                    // A lane with nothing waiting and a full bucket holds nothing worth keeping.
                    s.lanes[key] = lane.bucket.available(now: now) == lane.bucket.capacity ? nil : lane
                    continue
                }
                s.lanes[key] = lane
                let at = lane.bucket.nextToken(now: now)
                next = min(next ?? at, at)
            }
            guard let next, s.timerAt.map({ next < $0 }) ?? true else { return (ready, nil) }
            s.timerAt = next
            return (ready, next)
        }
        if let wakeAt {
            let nanos = Int(max(0, wakeAt - now) * 1e9) + 1000
            timerQueue.asyncAfter(deadline: .now() + .nanoseconds(nanos)) { [weak self] in
                guard let self else { return }
                state.withLock { s in if s.timerAt == wakeAt { s.timerAt = nil } }
                releaseDue()
            }
        }
        for waiting in ready { base.perform(waiting.request, completion: waiting.completion) }
    }
}
