import Foundation
import OutboundHTTP

/// Who the client is when the service runs behind proxies: `X-Forwarded-For` and
/// `X-Forwarded-Proto` are believed only from a peer inside `trusted` (`proxies.trusted`);
/// from anyone else they are ignored, or any client could pick the address its key's IP
/// allowlist is checked against.
///
/// Behind a chain of trusted proxies the client is the rightmost address of
/// `X-Forwarded-For` that is not itself a trusted proxy: each proxy appends the peer it saw,
/// so everything left of that address was written by the client and proves nothing.
public struct ForwardedClient: Sendable {
    public let trusted: [AddressBlock]

    public init(trusted: [AddressBlock]) { self.trusted = trusted }

    /// What the service believes of one request.
    public struct Resolved: Sendable, Equatable {
        /// The client's address.
        public var address: String?
        /// Whether the client reached the service over TLS (a trusted proxy said
        /// `X-Forwarded-Proto: https`; the service itself serves plain HTTP).
        public var secure: Bool
    }

    /// `peer`: the socket's peer address; `forwardedFor`, `forwardedProto`: the headers'
    /// values (each header line once, in order).
    public func resolve(peer: String?, forwardedFor: [String], forwardedProto: [String]) -> Resolved {
        guard let peer, isTrusted(peer) else { return Resolved(address: peer, secure: false) }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { Self.address(ofHop: $0.trimmingCharacters(in: .whitespaces)) }
        var client = peer
        for hop in hops.reversed() {
            guard AddressBlock(hop) != nil, !hop.contains("/") else { break }  // not an address: stop at the last proxy
            client = hop
            if !isTrusted(hop) { break }
        }
        let proto = forwardedProto.flatMap { $0.split(separator: ",") }.last?.trimmingCharacters(in: .whitespaces).lowercased()
        return Resolved(address: client, secure: proto == "https")
    }

    /// A hop without the port some proxies add: `203.0.113.7:4711` and `[2001:db8::1]:4711`.
    static func address(ofHop hop: String) -> String {
        if hop.hasPrefix("["), let end = hop.firstIndex(of: "]") { return String(hop[hop.index(after: hop.startIndex)..<end]) }
        let colons = hop.filter { $0 == ":" }.count
        if colons == 1, let colon = hop.firstIndex(of: ":") { return String(hop[..<colon]) }
        return hop
    }

    private func isTrusted(_ address: String) -> Bool { trusted.contains { $0.contains(literal: address) } }
}
