#if canImport(Glibc)
import Glibc
#endif

/// One connection of the native client and the exchange it carries. Touched only on the
/// loop's thread.
final class NativeConnection {
    enum Phase {
        /// Waiting for the resolver to name the host's addresses.
        case resolving
        case connecting
        case handshaking
        /// Connected (and through TLS): sending, receiving, or idle.
        case ready
    }

    let origin: WireTarget.Origin
    var fd: Int32 = -1
    var phase = Phase.resolving
    var tls: TLSSession?
    var exchange: NativeExchange?
    /// Bytes of `exchange.bytes` already sent.
    var written = 0
    var parser = ResponseParser(expectsNoBody: false, maxBodyBytes: 0)
    /// Exchanges completed on this connection: more than 0 means it was kept alive and reused.
    var completedExchanges = 0
    var addresses: [IPAddress] = []
    var nextAddress = 0
    /// The last connect error, reported when every address failed.
    var connectError = ""
    /// The egress policy's first refusal, reported when it refused every address.
    var egressRefusal: String?
    /// End of `connectTimeout`, while connecting and in the TLS handshake.
    var connectDeadline: UInt64 = 0
    var idleSince: UInt64 = 0
    /// Registered for writability (connecting, or a send that did not finish).
    var watchingWrites = false
    /// Closed and forgotten by the loop.
    var discarded = false

    init(origin: WireTarget.Origin) {
        self.origin = origin
    }

    var isIPLiteral: Bool { IPAddress(literal: origin.host) != nil }

    /// Whether the whole request has been sent.
    var sentAll: Bool { exchange.map { written >= $0.bytes.count } ?? true }
}

/// What the native client knows about one origin (scheme, host, port): its connections and
/// the exchanges waiting for one.
final class OriginConnections {
    /// Open (or opening) connections.
    var open = 0
    /// Kept-alive connections with nothing to do; the most recently used last.
    var idle: [NativeConnection] = []
    /// Exchanges waiting for a connection, oldest first from `waitingHead`.
    private var waiting: [NativeExchange] = []
    private var waitingHead = 0

    var hasWaiting: Bool { waitingHead < waiting.count }
    var waitingCount: Int { waiting.count - waitingHead }

    /// When the oldest waiting exchange was handed to the transport.
    var oldestWaitingStarted: UInt64? { hasWaiting ? waiting[waitingHead].started : nil }

    func enqueue(_ exchange: NativeExchange) { waiting.append(exchange) }

    func dequeue() -> NativeExchange? {
        guard waitingHead < waiting.count else { return nil }
        let exchange = waiting[waitingHead]
        waitingHead += 1
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        }
        return exchange
    }

    /// Removes and returns the waiting exchanges past their deadline; reports the earliest
    /// deadline of those left through `earliest`.
    func removeExpired(now: UInt64, earliest: inout UInt64) -> [NativeExchange] {
        guard hasWaiting else { return [] }
        var expired: [NativeExchange] = []
        var kept: [NativeExchange] = []
        for exchange in waiting[waitingHead...] {
            if exchange.deadline <= now {
                expired.append(exchange)
            } else {
                kept.append(exchange)
                earliest = min(earliest, exchange.deadline)
            }
        }
        if !expired.isEmpty {
            waiting = kept
            waitingHead = 0
        }
        return expired
    }

    func removeAllWaiting() -> [NativeExchange] {
        defer {
            waiting = []
            waitingHead = 0
        }
        return Array(waiting[waitingHead...])
    }
}
