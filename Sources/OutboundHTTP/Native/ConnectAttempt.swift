/// The addresses a new connection tries one after another, and why those tried failed: a
/// value, so that which failure a connection reports can be tested without a socket.
struct ConnectAttempt {
    var addresses: [IPAddress] = []
    private var next = 0
    /// The last connect error, reported when every address failed.
    private(set) var lastError = ""
    /// The egress policy's first refusal, reported when it refused every address tried.
    private(set) var egressRefusal: String?

    /// The next address `policy` allows, or nil when none is left; remembers the first refusal.
    mutating func nextAddress(allowedBy policy: EgressPolicy) -> IPAddress? {
        while next < addresses.count {
            let address = addresses[next]
            next += 1
            guard let refusal = policy.refusal(of: address) else { return address }
            if egressRefusal == nil { egressRefusal = refusal }
        }
        return nil
    }

    /// Connecting to the address last returned failed.
    mutating func failed(_ detail: String) { lastError = detail }

    /// Why the connection could not be made once no address is left: `egressRefused` when
    /// the policy refused the addresses and no connect was tried, else `connect`.
    var failure: (TransportFailure, String) {
        if lastError.isEmpty, let egressRefusal { return (.egressRefused, egressRefusal) }
        return (.connect, lastError.isEmpty ? "no address to connect to" : lastError)
    }
}
