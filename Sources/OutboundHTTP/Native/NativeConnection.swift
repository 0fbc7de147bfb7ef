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
    /// The pool's number for this connection.
    let id: PoolConnectionID
    var fd: Int32 = -1
    var phase = Phase.resolving
    var tls: TLSSession?
    var exchange: NativeExchange?
    /// Bytes of `exchange.bytes` already sent.
    var written = 0
    var parser = ResponseParser(expectsNoBody: false, maxBodyBytes: 0)
    /// The addresses to try and why those tried failed.
    var attempt = ConnectAttempt()
    /// Registered for writability (connecting, or a send that did not finish).
    var watchingWrites = false
    /// Closed and forgotten by the loop.
    var discarded = false

    init(origin: WireTarget.Origin, id: PoolConnectionID) {
        self.origin = origin
        self.id = id
    }

    var isIPLiteral: Bool { IPAddress(literal: origin.host) != nil }

    /// Whether the whole request has been sent.
    var sentAll: Bool { exchange.map { written >= $0.bytes.count } ?? true }
}
