/// One connection of the native client: its identity, and its I/O state as one value
/// (`NativeConnectionState`: the socket, the TLS session, the exchange and its parser, each
/// present exactly in the phases where it is valid). A class: the loop finds it by socket
/// and by the pool's number. Touched only on the loop's thread.
final class NativeConnection {
    typealias State = NativeConnectionState

    let origin: WireTarget.Origin
    /// The pool's number for this connection.
    let id: PoolConnectionID
    var state: State

    /// A new connection opened for `exchange`, before its addresses are known.
    init(origin: WireTarget.Origin, id: PoolConnectionID, opening exchange: NativeExchange) {
        self.origin = origin
        self.id = id
        state = State(opening: exchange)
    }

    var isIPLiteral: Bool { IPAddress(literal: origin.host) != nil }
}
