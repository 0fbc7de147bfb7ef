/// Which addresses a `LiveTransport` may connect to. It is checked at the address a socket
/// really connects to, after the URL's spelling and the resolver (`2130706433`, `127.1`,
/// `[::ffff:127.0.0.1]` and a name resolving to 127.0.0.1 are all loopback), on both engines.
///
/// - Link-local addresses (169.254.0.0/16, where clouds serve instance metadata, and
///   fe80::/10) and unspecified ones (0.0.0.0/8, ::) are always refused, also in their
///   IPv4-mapped and IPv4-compatible IPv6 forms.
/// - Loopback (127.0.0.0/8, ::1) and private ranges (10/8, 172.16/12, 192.168/16,
///   100.64/10, fc00::/7) are refused by `publicOnly`, the default, which is the service's
///   policy: a script must not reach the service's own network. `allowing(_:)` lets the
///   loopback and private addresses inside its blocks through (`leadrelay serve`'s
///   `egress.scripts.allow`, such as `127.0.0.0/8` for a demo's local partners);
///   `allowingLocalNetworks` lets them all through, for `leadrelay run`, the sandbox,
///   benchmarks and tests, whose partners are local servers. No block opens link-local or
///   unspecified addresses.
///
/// Through a proxy the socket connects to the proxy, so the proxy's address is what is
/// checked; which targets the proxy reaches is the proxy's business.
///
/// A refused request fails with `TransportFailure.egressRefused` ("egress refused:
/// 169.254.169.254 is link-local"), which ends the call as outcome `error`.
///
/// ```swift
/// let service = LiveTransport()   // .publicOnly
/// let local = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
/// ```
public struct EgressPolicy: Sendable, Equatable {
    /// Whether every loopback and private address may be reached.
    public let allowsLocalNetworks: Bool
    /// Loopback and private addresses that may be reached although `allowsLocalNetworks`
    /// is false.
    public let allowedBlocks: [AddressBlock]

    private init(allowsLocalNetworks: Bool, allowedBlocks: [AddressBlock] = []) {
        self.allowsLocalNetworks = allowsLocalNetworks
        self.allowedBlocks = allowedBlocks
    }

    /// Public addresses only: the default, and the service's policy.
    public static let publicOnly = EgressPolicy(allowsLocalNetworks: false)
    /// Public, loopback and private addresses (never link-local or unspecified ones).
    public static let allowingLocalNetworks = EgressPolicy(allowsLocalNetworks: true)
    /// Public addresses, and the loopback and private ones inside `blocks`.
    public static func allowing(_ blocks: [AddressBlock]) -> EgressPolicy {
        EgressPolicy(allowsLocalNetworks: false, allowedBlocks: blocks)
    }

    /// Why the transport may not connect to `address` ("egress refused: 10.0.0.7 is
    /// private"), or nil when it may.
    func refusal(of address: IPAddress) -> String? {
        let scope = address.scope
        switch scope {
        case .global:
            return nil
        case .loopback, .privateNetwork:
            if allowsLocalNetworks || allowedBlocks.contains(where: { $0.contains(address) }) { return nil }
            if !allowedBlocks.isEmpty {
                let blocks = allowedBlocks.map(\.description).joined(separator: ", ")
                return "egress refused: \(address.text) is \(scope.rawValue) and outside the allowed blocks (\(blocks))"
            }
        case .linkLocal, .unspecified:
            break
        }
        return "egress refused: \(address.text) is \(scope.rawValue)"
    }
}
