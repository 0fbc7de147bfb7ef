/// What the loop reads of a connection's state (the events alone change it).
extension NativeConnectionState {
    /// What the loop releases when the connection closes.
    struct Closing {
        var socket: Socket?
        var tls: TLS?
        /// The exchange it carried, which the caller ends.
        var exchange: Exchange?
        /// It was waiting for the resolver (the loop drops it from its list).
        var wasResolving = false
    }

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    var isResolving: Bool {
        if case .resolving = phase { return true }
        return false
    }

    /// Connected with an exchange under way (the loop may read or send on it).
    var isExchanging: Bool {
        if case .exchanging = phase { return true }
        return false
    }

    /// The exchange the connection carries or was opened for.
    var exchange: Exchange? {
        switch phase {
        case .resolving(_, let exchange), .connecting(_, _, let exchange), .handshaking(_, _, let exchange):
            exchange
        case .exchanging(_, _, let transfer): transfer.exchange
        case .idle, .closed: nil
        }
    }

    var tls: TLS? {
        switch phase {
        case .handshaking(_, let tls, _): tls
        case .idle(_, let tls), .exchanging(_, let tls, _): tls
        case .resolving, .connecting, .closed: nil
        }
    }

    /// Whether the whole request has been sent (true without an exchange).
    var sentAll: Bool {
        if case .exchanging(_, _, let transfer) = phase { return transfer.sentAll }
        return true
    }

    /// The socket and TLS session of a connected connection (idle or exchanging).
    var connected: (fd: Int32, tls: TLS?)? {
        switch phase {
        case .idle(let socket, let tls), .exchanging(let socket, let tls, _): (socket.fd, tls)
        default: nil
        }
    }

    /// The exchange under way: its request's bytes sent so far, its answer's parser.
    var transfer: Transfer? {
        if case .exchanging(_, _, let transfer) = phase { return transfer }
        return nil
    }
}
