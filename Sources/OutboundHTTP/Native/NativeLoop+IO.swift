import CEpoll

#if canImport(Glibc)
import Glibc
#endif

/// Sockets: connecting (address after address), the TLS handshake, sending the request
/// and reading the answer as epoll reports each connection ready. Each system call's result
/// goes to the connection's state (`NativeConnectionState`), which says what comes next.
extension NativeLoop {
    typealias ConnectionAction = NativeConnection.State.Action

    /// Connects to the next address of the connection's list that the egress policy
    /// allows; fails the exchange with `connect` when none is left, or with
    /// `egressRefused` when the policy refused every one.
    func connect(_ connection: NativeConnection) {
        perform(connection.state.nextAddress(allowedBy: configuration.egressPolicy), on: connection)
    }

    /// Opens a non-blocking socket to `address`, or tries the next address.
    private func connect(_ connection: NativeConnection, to address: IPAddress) {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            _ = connection.state.connectFailed("socket: \(String(cString: strerror(errno)))")
            return connect(connection)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = address.withSocketAddress(port: connection.origin.port) { Glibc.connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS {
            _ = connection.state.connectFailed(
                "connect to \(connection.origin.host) port \(connection.origin.port): \(String(cString: strerror(errno)))")
            close(fd)
            return connect(connection)
        }
        connection.state.socketOpened(fd)
        track(connection, fd: fd)
        cepoll_ctl(epoll, CEPOLL_CTL_ADD, fd, CEPOLL_IN | CEPOLL_OUT)
    }

    private func track(_ connection: NativeConnection, fd: Int32) {
        let index = Int(fd)
        if index >= connections.count { connections += Array(repeating: nil, count: index - connections.count + 64) }
        connections[index] = connection
    }

    func handleEvent(fd: Int32, flags: UInt32) {
        guard Int(fd) < connections.count, let connection = connections[Int(fd)] else { return }
        switch connection.state.phase {
        case .resolving, .closed:
            return
        case .connecting(let socket, _, _):
            connectFinished(connection, fd: socket.fd)
        case .handshaking(_, let session, _):
            handshake(connection, session)
        case .idle(let socket, let session):
            if flags & (CEPOLL_IN | CEPOLL_HUP | CEPOLL_ERR) != 0 { readAvailable(connection, fd: socket.fd, session) }
        case .exchanging(let socket, let session, let transfer):
            if flags & CEPOLL_OUT != 0, !transfer.sentAll {
                flush(connection, transfer, fd: socket.fd, session)
                if connection.state.isClosed { return }
            }
            if flags & (CEPOLL_IN | CEPOLL_HUP | CEPOLL_ERR) != 0 { readAvailable(connection, fd: socket.fd, session) }
        }
    }

    private func connectFinished(_ connection: NativeConnection, fd: Int32) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            let detail = "connect to \(connection.origin.host) port \(connection.origin.port): \(String(cString: strerror(error)))"
            if let socket = connection.state.connectFailed(detail) {
                connections[Int(socket.fd)] = nil
                close(socket.fd)
            }
            return connect(connection)
        }
        // An event left over from a socket closed earlier in the same batch, whose number
        // this new socket reused: not connected yet, so wait for its own event.
        var peer = sockaddr_storage()
        var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let connected = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &peerLength) == 0 }
        }
        guard connected else { return }
        perform(connection.state.connectSucceeded(secure: connection.origin.secure), on: connection)
    }

    private func startTLS(_ connection: NativeConnection, fd: Int32) {
        let context: TLSContext
        switch tls {
        case .success(let ready): context = ready
        case .failure(let error): return fail(connection, .tls, error.description)
        }
        guard
            let session = TLSSession(
                context: context, fd: fd, origin: connection.origin,
                isIPAddress: connection.isIPLiteral, sessions: tlsSessions)
        else { return fail(connection, .tls, "SSL_new failed (out of memory)") }
        connection.state.tlsStarted(session)
        handshake(connection, session)
    }

    private func handshake(_ connection: NativeConnection, _ session: TLSSession) {
        perform(connection.state.handshake(session.handshake()), on: connection)
    }

    /// Sends what is left of the transfer's request; watches for writability if the
    /// socket is full.
    func flush(_ connection: NativeConnection, _ transfer: NativeConnection.State.Transfer, fd: Int32, _ session: TLSSession?) {
        let exchange = transfer.exchange
        while transfer.written < transfer.size {
            let from = transfer.written
            let sent: Int
            if let session {
                let step = exchange.bytes.withUnsafeBytes { session.write(UnsafeRawBufferPointer(rebasing: $0[from...])) }
                switch step {
                case .done(let count): sent = count
                case .wantWrite: return perform(connection.state.watchWrites(true), on: connection)
                case .wantRead: return perform(connection.state.watchWrites(false), on: connection)
                case .closed:
                    return perform(connection.state.broke("the server closed the connection while the request was sent"), on: connection)
                case .failed(let detail): return fail(connection, .tls, detail)
                }
            } else {
                let count = exchange.bytes.withUnsafeBytes {
                    send(fd, $0.baseAddress! + from, $0.count - from, Int32(MSG_NOSIGNAL))
                }
                if count < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK { return perform(connection.state.watchWrites(true), on: connection) }
                    if errno == EINTR { continue }
                    return perform(connection.state.broke("send: \(String(cString: strerror(errno)))"), on: connection)
                }
                sent = count
            }
            connection.state.sent(sent)
        }
        perform(connection.state.watchWrites(false), on: connection)
    }

    /// Reads what the socket has and feeds the exchange's parser, up to
    /// `readBytesPerWakeUp`; checks the exchange's deadline before each further read.
    private func readAvailable(_ connection: NativeConnection, fd: Int32, _ session: TLSSession?) {
        var allowance = Self.readBytesPerWakeUp
        while true {
            var count: Int
            if let session {
                switch session.read(into: readBuffer) {
                case .done(let n): count = n
                case .wantRead, .wantWrite: return
                case .closed: count = 0
                case .failed(let detail): return fail(connection, .tls, detail)
                }
            } else {
                count = recv(fd, readBuffer.baseAddress, readBuffer.count, 0)
                if count < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK { return }
                    if errno == EINTR { continue }
                    return perform(connection.state.broke("recv: \(String(cString: strerror(errno)))"), on: connection)
                }
            }
            // An idle connection the server closed (cleanly: its session stays resumable),
            // or that got bytes no request asked for, is dropped.
            if count == 0 { return perform(connection.state.endOfStream(), on: connection) }
            let action = connection.state.received(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            guard case .none = action else { return perform(action, on: connection) }
            // Level-triggered: a short read drained the socket, so wait for epoll.
            if session == nil && count < readBuffer.count { return }
            allowance -= count
            if allowance <= 0 {
                // More is waiting: the socket reports it again; bytes OpenSSL holds do not.
                if let session, session.hasBufferedBytes { readAgain.append(connection) }
                return
            }
            if let exchange = connection.state.exchange, exchange.deadline <= SystemClock.monotonicNanos() {
                return fail(connection, .timeout, timeoutDetail(exchange, waitingForConnection: false))
            }
        }
    }

    /// A connection of `readAgain`: reads on, unless it has been closed or finished since.
    func continueReading(_ connection: NativeConnection) {
        guard case .exchanging(let socket, let session, _) = connection.state.phase else { return }
        readAvailable(connection, fd: socket.fd, session)
    }

    /// Carries out what the connection's state decided.
    func perform(_ action: ConnectionAction, on connection: NativeConnection) {
        switch action {
        case .none:
            return
        case .connect(let address):
            connect(connection, to: address)
        case .fail(let failure, let detail):
            fail(connection, failure, detail)
        case .startTLS(let fd):
            startTLS(connection, fd: fd)
        case .ready(let exchange):
            pool.connected(connection.id)
            begin(exchange, on: connection)
        case .watchWrites(let fd, let on):
            cepoll_ctl(epoll, CEPOLL_CTL_MOD, fd, on ? CEPOLL_IN | CEPOLL_OUT : CEPOLL_IN)
        case .failHandshake(let detail):
            tlsSessions.forget(connection.origin)
            fail(connection, .tls, detail)
        case .complete(let transfer, let reusable):
            let exchange = transfer.exchange
            exchange.completion(transfer.parser.response(elapsed: exchange.elapsed(at: SystemClock.monotonicNanos())))
            release(connection, reusable: reusable)
        case .broke(let detail, let answerStarted):
            connectionBroke(connection, detail, answerStarted: answerStarted)
        case .dropIdle(let cleanly):
            dropIdle(connection, cleanly: cleanly)
        }
    }

    /// The connection failed under an exchange: the pool sends it again on a fresh
    /// connection when a reused one died before any answer, else it fails with `other`.
    private func connectionBroke(_ connection: NativeConnection, _ detail: String, answerStarted: Bool) {
        let now = SystemClock.monotonicNanos()
        let actions = pool.broke(connection.id, detail: detail, answerStarted: answerStarted, now: now)
        // A connection the pool no longer knows still has its exchange: never lose it.
        guard !actions.isEmpty else { return fail(connection, .other, detail) }
        perform(actions, now: now)
    }
}
