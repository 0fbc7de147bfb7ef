/// One connection's I/O state as a value, in the manner of AsyncHTTPClient's
/// `HTTP1ConnectionStateMachine`: an enum whose cases carry exactly the data valid in them
/// (no socket while resolving, a TLS session only once it exists, a parser only under an
/// exchange), changed only by the events below, which return what the loop must do. It
/// makes no system call and reads no clock: the loop opens and closes sockets, talks to
/// OpenSSL and epoll, and reports the results here; the tests drive it without either.
///
/// An event that does not fit the current phase (a late epoll event for a closed
/// connection, a read result after the exchange ended) changes nothing and returns `.none`
/// (or nil): never a trap, since such events are expected on a loop that batches them.
///
/// It only holds and hands back the exchange and the TLS session (the tests make both
/// without a socket). Not generic over them: the specialised generic state was still
/// destroyed through the runtime's value witnesses at every phase change. The one reference
/// inside, `Transfer`, belongs to a single connection: states are not meant to be copied.
struct NativeConnectionState {
    typealias Exchange = NativeExchange
    typealias TLS = TLSSession

    /// A connected (or connecting) socket and whether epoll watches it for writability.
    struct Socket {
        let fd: Int32
        var watchingWrites: Bool
    }

    /// An exchange on a connected socket: how much of its request is sent, and its answer's
    /// parser. The server may answer before the request is whole, so both go on at once.
    /// A class, created by `begin` and changed only by the events: the parser then grows in
    /// place, and the phase stays a few words that copy cheaply on the loop's hot path.
    final class Transfer {
        let exchange: Exchange
        /// The request's size in bytes.
        let size: Int
        fileprivate(set) var written = 0
        fileprivate(set) var parser: ResponseParser

        fileprivate init(exchange: Exchange, size: Int, parser: ResponseParser) {
            self.exchange = exchange
            self.size = size
            self.parser = parser
        }

        var sentAll: Bool { written >= size }
    }

    enum Phase {
        /// No socket: waiting for the resolver's addresses, or about to try the next one.
        case resolving(ConnectAttempt, Exchange)
        /// A non-blocking connect under way on `Socket` to one address of the attempt.
        case connecting(Socket, ConnectAttempt, Exchange)
        /// Connected; the TLS handshake under way.
        case handshaking(Socket, TLS, Exchange)
        /// Connected (and through TLS), carrying no exchange.
        case idle(Socket, TLS?)
        /// Sending a request and reading its answer.
        case exchanging(Socket, TLS?, Transfer)
        /// Closed and forgotten by the loop: every later event is ignored.
        case closed
    }

    /// What the loop must do after an event.
    enum Action {
        case none
        /// Open a non-blocking socket to the address, then report `socketOpened` or
        /// `connectFailed`.
        case connect(IPAddress)
        /// Close the connection and fail its exchange (no address left, a malformed answer).
        case fail(TransportFailure, String)
        /// The TCP connection is up on a secure origin: create the TLS session on the
        /// socket and report `tlsStarted`.
        case startTLS(fd: Int32)
        /// Connected (and through TLS), now idle: tell the pool and begin the exchange the
        /// connection was opened for.
        case ready(Exchange)
        /// Change the socket's epoll registration: also writable (`true`) or readable only.
        case watchWrites(fd: Int32, Bool)
        /// The handshake failed: forget the origin's TLS session, fail with `.tls`.
        case failHandshake(String)
        /// The answer is whole: the connection is idle again; deliver the response of the
        /// transfer's parser and release the connection to the pool, to be reused when
        /// `reusable`.
        case complete(Transfer, reusable: Bool)
        /// The connection broke under its exchange: the pool decides whether it is sent
        /// again on a fresh connection (`answerStarted` false on a reused one) or fails.
        case broke(String, answerStarted: Bool)
        /// The server closed an idle connection (`cleanly`) or sent bytes nobody asked for.
        case dropIdle(cleanly: Bool)
    }

    private(set) var phase: Phase

    /// A new connection opened for `exchange`, before its addresses are known.
    init(opening exchange: Exchange) {
        phase = .resolving(ConnectAttempt(), exchange)
    }

    // MARK: - Events: connecting (each reported once the loop made the call asked for)

    /// The resolver named the host's addresses (or the loop knew them).
    mutating func resolved(_ addresses: [IPAddress]) {
        guard case .resolving(var attempt, let exchange) = phase else { return }
        attempt.addresses = addresses
        phase = .resolving(attempt, exchange)
    }

    /// The next address to connect to, or the failure to report when none is left:
    /// `egressRefused` when the policy refused every address and none was tried, else
    /// `connect` with the last error.
    mutating func nextAddress(allowedBy policy: EgressPolicy) -> Action {
        guard case .resolving(var attempt, let exchange) = phase else { return .none }
        let next = attempt.nextAddress(allowedBy: policy)
        phase = .resolving(attempt, exchange)
        if let next { return .connect(next) }
        let (failure, detail) = attempt.failure
        return .fail(failure, detail)
    }

    /// The socket for the address `nextAddress` named is connecting (the loop registered it
    /// with epoll for reading and writing).
    mutating func socketOpened(_ fd: Int32) {
        guard case .resolving(let attempt, let exchange) = phase else { return }
        phase = .connecting(Socket(fd: fd, watchingWrites: true), attempt, exchange)
    }

    /// Connecting failed (opening the socket, or the connect itself): remembered as the
    /// reason to report if no address is left. Returns the socket to close, if one was open;
    /// the loop then asks `nextAddress` again.
    mutating func connectFailed(_ detail: String) -> Socket? {
        switch phase {
        case .resolving(var attempt, let exchange):
            attempt.failed(detail)
            phase = .resolving(attempt, exchange)
            return nil
        case .connecting(let socket, var attempt, let exchange):
            attempt.failed(detail)
            phase = .resolving(attempt, exchange)
            return socket
        default:
            return nil
        }
    }

    /// The socket connected: on a secure origin the TLS session starts, else the connection
    /// is ready.
    mutating func connectSucceeded(secure: Bool) -> Action {
        guard case .connecting(let socket, _, let exchange) = phase else { return .none }
        if secure { return .startTLS(fd: socket.fd) }
        phase = .idle(socket, nil)
        return .ready(exchange)
    }

    /// The loop created the TLS session on the connected socket.
    mutating func tlsStarted(_ tls: TLS) {
        guard case .connecting(let socket, _, let exchange) = phase else { return }
        phase = .handshaking(socket, tls, exchange)
    }

    /// One step of the TLS handshake.
    mutating func handshake(_ step: TLSSession.Step) -> Action {
        guard case .handshaking(let socket, let tls, let exchange) = phase else { return .none }
        switch step {
        case .done:
            phase = .idle(socket, tls)
            return .ready(exchange)
        case .wantRead: return watchWrites(false)
        case .wantWrite: return watchWrites(true)
        case .closed: return .failHandshake("the server closed the connection during the TLS handshake")
        case .failed(let detail): return .failHandshake(detail)
        }
    }

    // MARK: - Exchanging

    /// Whether epoll should also report the socket writable (a connect or handshake that
    /// waits to write, or a request that did not fit the socket): `.watchWrites` when the
    /// registration must change, else `.none`.
    mutating func watchWrites(_ on: Bool) -> Action {
        switch phase {
        case .connecting(var socket, let attempt, let exchange) where socket.watchingWrites != on:
            socket.watchingWrites = on
            phase = .connecting(socket, attempt, exchange)
            return .watchWrites(fd: socket.fd, on)
        case .handshaking(var socket, let tls, let exchange) where socket.watchingWrites != on:
            socket.watchingWrites = on
            phase = .handshaking(socket, tls, exchange)
            return .watchWrites(fd: socket.fd, on)
        case .idle(var socket, let tls) where socket.watchingWrites != on:
            socket.watchingWrites = on
            phase = .idle(socket, tls)
            return .watchWrites(fd: socket.fd, on)
        case .exchanging(var socket, let tls, let transfer) where socket.watchingWrites != on:
            socket.watchingWrites = on
            phase = .exchanging(socket, tls, transfer)
            return .watchWrites(fd: socket.fd, on)
        default:
            return .none
        }
    }

    /// Starts `exchange` (a request of `size` bytes, its answer read by `parser`) on the
    /// idle connection and returns its transfer, to be sent; nil (and nothing changes) when
    /// the connection is not idle.
    mutating func begin(_ exchange: Exchange, size: Int, parser: ResponseParser) -> Transfer? {
        guard case .idle(let socket, let tls) = phase else { return nil }
        let transfer = Transfer(exchange: exchange, size: size, parser: parser)
        phase = .exchanging(socket, tls, transfer)
        return transfer
    }

    /// `count` more bytes of the request went out.
    mutating func sent(_ count: Int) {
        guard case .exchanging(_, _, let transfer) = phase else { return }
        transfer.written += count
    }

    /// Bytes read from the connection (never empty: the end of the stream is
    /// `endOfStream`). Fed to the exchange's parser: `.none` while the answer is incomplete.
    mutating func received(_ bytes: UnsafeRawBufferPointer) -> Action {
        switch phase {
        case .idle:
            return .dropIdle(cleanly: false)
        case .exchanging(let socket, let tls, let transfer):
            let (used, progress) = transfer.parser.feed(bytes)
            switch progress {
            case .needMore:
                return .none
            case .complete:
                phase = .idle(socket, tls)
                return complete(transfer, leftover: used < bytes.count)
            case .failed(let failure, let detail):
                return .fail(failure, detail)
            }
        default:
            return .none
        }
    }

    /// The server closed the connection (or its TLS stream). An answer framed by the end of
    /// the connection is complete; one cut short breaks the connection.
    mutating func endOfStream() -> Action {
        switch phase {
        case .idle:
            return .dropIdle(cleanly: true)
        case .exchanging(let socket, let tls, let transfer):
            switch transfer.parser.finishAtEndOfStream() {
            case .complete:
                phase = .idle(socket, tls)
                return complete(transfer, leftover: false)
            case .failed(_, let detail):
                return .broke(detail, answerStarted: !transfer.parser.isUntouched)
            case .needMore:
                return .none
            }
        default:
            return .none
        }
    }

    /// Sending or receiving failed (the socket reported an error or the server closed it
    /// while the request was sent): the pool decides under an exchange, else a failure.
    mutating func broke(_ detail: String) -> Action {
        switch phase {
        case .exchanging(_, _, let transfer):
            return .broke(detail, answerStarted: !transfer.parser.isUntouched)
        case .closed:
            return .none
        default:
            return .fail(.other, detail)
        }
    }

    /// The answer is whole: reusable when the server keeps the connection alive, the whole
    /// request went out and no byte beyond the answer came.
    private func complete(_ transfer: Transfer, leftover: Bool) -> Action {
        .complete(transfer, reusable: transfer.parser.keepAlive && transfer.sentAll && !leftover)
    }

    // MARK: - Closing

    /// The loop closes the connection: returns what it must release (nil when it was
    /// closed already, so that closing twice is harmless).
    mutating func close() -> Closing? {
        let closing: Closing
        switch phase {
        case .resolving(_, let exchange): closing = Closing(exchange: exchange, wasResolving: true)
        case .connecting(let socket, _, let exchange): closing = Closing(socket: socket, exchange: exchange)
        case .handshaking(let socket, let tls, let exchange): closing = Closing(socket: socket, tls: tls, exchange: exchange)
        case .idle(let socket, let tls): closing = Closing(socket: socket, tls: tls)
        case .exchanging(let socket, let tls, let transfer):
            closing = Closing(socket: socket, tls: tls, exchange: transfer.exchange)
        case .closed: return nil
        }
        phase = .closed
        return closing
    }
}
