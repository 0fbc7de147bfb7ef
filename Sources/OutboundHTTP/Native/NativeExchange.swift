/// One request on its way through the native client: parsed, encoded, and waiting for a
/// connection or for its answer. A class: the pool and the connection hold it, and passing it
/// on is one reference count, not one per string and buffer inside.
final class NativeExchange: PoolRequest, Sendable {
    let target: WireTarget
    /// The whole request (head and body) as it goes on the wire.
    let bytes: [UInt8]
    /// A HEAD request: its response has no body.
    let expectsNoBody: Bool
    let maxResponseBytes: Int
    /// `SystemClock.monotonicNanos()` when the request was handed to the transport.
    let started: UInt64
    /// When it ends with `TransportFailure.timeout`.
    let deadline: UInt64
    let completion: @Sendable (OutboundResponse) -> Void

    var origin: WireTarget.Origin { target.origin }

    init(
        target: WireTarget, bytes: [UInt8], expectsNoBody: Bool, maxResponseBytes: Int, started: UInt64, deadline: UInt64,
        completion: @escaping @Sendable (OutboundResponse) -> Void
    ) {
        self.target = target
        self.bytes = bytes
        self.expectsNoBody = expectsNoBody
        self.maxResponseBytes = maxResponseBytes
        self.started = started
        self.deadline = deadline
        self.completion = completion
    }

    /// Parses and encodes `request`, or returns why it cannot be sent.
    static func make(
        _ request: OutboundRequest, userAgent: String,
        completion: @escaping @Sendable (OutboundResponse) -> Void
    ) -> Result<NativeExchange, WireTargetError> {
        if let problem = request.wireProblem() { return .failure(WireTargetError(problem)) }
        let target: WireTarget
        do { target = try WireTarget(url: request.url) } catch { return .failure(error) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + request.body.count)
        RequestEncoder.encode(request, to: target, userAgent: userAgent, into: &bytes)
        let now = SystemClock.monotonicNanos()
        return .success(
            NativeExchange(
                target: target, bytes: bytes, expectsNoBody: request.method == "HEAD",
                maxResponseBytes: request.maxResponseBytes, started: now,
                deadline: now &+ nanoseconds(request.timeout), completion: completion))
    }

    func elapsed(at now: UInt64) -> Double { Double(now &- started) / 1e9 }
}

/// Seconds as nanoseconds for a deadline: at least 1 ms, at most 30 days.
func nanoseconds(_ seconds: Double) -> UInt64 {
    guard seconds.isFinite, seconds > 0 else { return 1_000_000 }
    return UInt64(max(0.001, min(seconds, 86_400 * 30)) * 1e9)
}
