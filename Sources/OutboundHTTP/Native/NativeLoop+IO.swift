import CEpoll

#if canImport(Glibc)
import Glibc
#endif

/// Sockets: connecting (address after address), the TLS handshake, sending the request
/// and reading the answer as epoll reports each connection ready.
extension NativeLoop {
    /// Connects to the next address of the connection's list that the egress policy
    /// allows; fails the exchange with `connect` when none is left, or with
    /// `egressRefused` when the policy refused every one.
    func connect(_ connection: NativeConnection) {
        while let address = connection.attempt.nextAddress(allowedBy: configuration.egressPolicy) {
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                connection.attempt.failed("socket: \(String(cString: strerror(errno)))")
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let rc = address.withSocketAddress(port: connection.origin.port) { Glibc.connect(fd, $0, $1) }
            if rc != 0 && errno != EINPROGRESS {
                connection.attempt.failed("connect to \(connection.origin.host) port \(connection.origin.port): \(String(cString: strerror(errno)))")
                close(fd)
                continue
            }
            connection.fd = fd
            track(connection)
            connection.phase = .connecting
            connection.watchingWrites = true
            cepoll_ctl(epoll, CEPOLL_CTL_ADD, fd, CEPOLL_IN | CEPOLL_OUT)
            return
        }
        let (failure, detail) = connection.attempt.failure
        fail(connection, failure, detail)
    }

    private func track(_ connection: NativeConnection) {
        let index = Int(connection.fd)
        if index >= connections.count { connections += Array(repeating: nil, count: index - connections.count + 64) }
        connections[index] = connection
    }

    func handleEvent(fd: Int32, flags: UInt32) {
        guard Int(fd) < connections.count, let connection = connections[Int(fd)] else { return }
        switch connection.phase {
        case .resolving:
            return
        case .connecting:
            connectFinished(connection)
        case .handshaking:
            handshake(connection)
        case .ready:
            if flags & CEPOLL_OUT != 0, !connection.sentAll { flush(connection) }
            if connection.discarded { return }
            if flags & (CEPOLL_IN | CEPOLL_HUP | CEPOLL_ERR) != 0 { readAvailable(connection) }
        }
    }

    private func connectFinished(_ connection: NativeConnection) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            connection.attempt.failed("connect to \(connection.origin.host) port \(connection.origin.port): \(String(cString: strerror(error)))")
            connections[Int(connection.fd)] = nil
            close(connection.fd)
            connection.fd = -1
            return connect(connection)
        }
        // An event left over from a socket closed earlier in the same batch, whose number
        // this new socket reused: not connected yet, so wait for its own event.
        var peer = sockaddr_storage()
        var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let connected = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(connection.fd, $0, &peerLength) == 0 }
        }
        guard connected else { return }
        guard connection.origin.secure else {
            connection.phase = .ready
            pool.connected(connection.id)
            return begin(connection.exchange!, on: connection)
        }
        let context: TLSContext
        switch tls {
        case .success(let ready): context = ready
        case .failure(let error): return fail(connection, .tls, error.description)
        }
        guard let session = TLSSession(context: context, fd: connection.fd, origin: connection.origin,
                                       isIPAddress: connection.isIPLiteral, sessions: tlsSessions)
        else { return fail(connection, .tls, "SSL_new failed (out of memory)") }
        connection.tls = session
        connection.phase = .handshaking
        handshake(connection)
    }

    private func handshake(_ connection: NativeConnection) {
        guard let session = connection.tls else { return }
        switch session.handshake() {
        case .done:
            connection.phase = .ready
            pool.connected(connection.id)
            begin(connection.exchange!, on: connection)
        case .wantRead:
            watchWrites(connection, false)
        case .wantWrite:
            watchWrites(connection, true)
        case .closed:
            tlsSessions.forget(connection.origin)
            fail(connection, .tls, "the server closed the connection during the TLS handshake")
        case .failed(let detail):
            tlsSessions.forget(connection.origin)
            fail(connection, .tls, detail)
        }
    }

    /// Sends what is left of the request; watches for writability if the socket is full.
    func flush(_ connection: NativeConnection) {
        guard let exchange = connection.exchange else { return }
        while connection.written < exchange.bytes.count {
            let sent: Int
            if let session = connection.tls {
                let step = exchange.bytes.withUnsafeBytes { session.write(UnsafeRawBufferPointer(rebasing: $0[connection.written...])) }
                switch step {
                case .done(let count): sent = count
                case .wantWrite: return watchWrites(connection, true)
                case .wantRead: return watchWrites(connection, false)
                case .closed: return connectionBroke(connection, "the server closed the connection while the request was sent")
                case .failed(let detail): return fail(connection, .tls, detail)
                }
            } else {
                let count = exchange.bytes.withUnsafeBytes {
                    send(connection.fd, $0.baseAddress! + connection.written, $0.count - connection.written, Int32(MSG_NOSIGNAL))
                }
                if count < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK { return watchWrites(connection, true) }
                    if errno == EINTR { continue }
                    return connectionBroke(connection, "send: \(String(cString: strerror(errno)))")
                }
                sent = count
            }
            connection.written += sent
        }
        watchWrites(connection, false)
    }

    private func watchWrites(_ connection: NativeConnection, _ on: Bool) {
        guard connection.watchingWrites != on, connection.fd >= 0 else { return }
        connection.watchingWrites = on
        cepoll_ctl(epoll, CEPOLL_CTL_MOD, connection.fd, on ? CEPOLL_IN | CEPOLL_OUT : CEPOLL_IN)
    }

    /// Reads what the socket has and feeds the exchange's parser, up to
    /// `readBytesPerWakeUp`; checks the exchange's deadline before each further read.
    private func readAvailable(_ connection: NativeConnection) {
        var allowance = Self.readBytesPerWakeUp
        while !connection.discarded {
            var count: Int
            if let session = connection.tls {
                switch session.read(into: readBuffer) {
                case .done(let n): count = n
                case .wantRead, .wantWrite: return
                case .closed: count = 0
                case .failed(let detail): return fail(connection, .tls, detail)
                }
            } else {
                count = recv(connection.fd, readBuffer.baseAddress, readBuffer.count, 0)
                if count < 0 {
                    if errno == EAGAIN || errno == EWOULDBLOCK { return }
                    if errno == EINTR { continue }
                    return connectionBroke(connection, "recv: \(String(cString: strerror(errno)))")
                }
            }
            guard connection.exchange != nil else {
                // Idle: the server closed it (cleanly: its session stays resumable), or sent
                // bytes no request asked for.
                return dropIdle(connection, cleanly: count == 0)
            }
            if count == 0 { return endOfStream(connection) }
            let (used, progress) = connection.parser.feed(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            switch progress {
            case .needMore:
                // Level-triggered: a short read drained the socket, so wait for epoll.
                if connection.tls == nil && count < readBuffer.count { return }
                allowance -= count
                if allowance <= 0 {
                    // More is waiting: the socket reports it again; bytes OpenSSL holds do not.
                    if let session = connection.tls, session.hasBufferedBytes { readAgain.append(connection) }
                    return
                }
                if let exchange = connection.exchange, exchange.deadline <= SystemClock.monotonicNanos() {
                    return fail(connection, .timeout, timeoutDetail(exchange, waitingForConnection: false))
                }
            case .complete:
                return finish(connection, leftover: used < count)
            case .failed(let failure, let detail):
                return fail(connection, failure, detail)
            }
        }
    }

    /// A connection of `readAgain`: reads on, unless it has been closed or finished since.
    func continueReading(_ connection: NativeConnection) {
        guard !connection.discarded, connection.exchange != nil, connection.phase == .ready else { return }
        readAvailable(connection)
    }

    private func endOfStream(_ connection: NativeConnection) {
        switch connection.parser.finishAtEndOfStream() {
        case .complete:
            finish(connection, leftover: false)
        case .failed(_, let detail):
            connectionBroke(connection, detail)
        case .needMore:
            break
        }
    }

    /// The connection failed under an exchange: the pool sends it again on a fresh
    /// connection when a reused one died before any answer, else it fails with `other`.
    private func connectionBroke(_ connection: NativeConnection, _ detail: String) {
        guard connection.exchange != nil else { return fail(connection, .other, detail) }
        let now = SystemClock.monotonicNanos()
        let actions = pool.broke(connection.id, detail: detail, answerStarted: !connection.parser.isUntouched, now: now)
        // A connection the pool no longer knows still has its exchange: never lose it.
        guard !actions.isEmpty else { return fail(connection, .other, detail) }
        perform(actions, now: now)
    }

    private func finish(_ connection: NativeConnection, leftover: Bool) {
        guard let exchange = connection.exchange else { return }
        let response = connection.parser.response(elapsed: exchange.elapsed(at: SystemClock.monotonicNanos()))
        let reusable = connection.parser.keepAlive && connection.sentAll && !leftover
        connection.exchange = nil
        connection.parser = ResponseParser(expectsNoBody: false, maxBodyBytes: 0)
        exchange.completion(response)
        release(connection, reusable: reusable)
    }
}
