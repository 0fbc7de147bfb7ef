import Foundation

/// A range of addresses a key may be used from: `from` and `to`, both IPv4 or both IPv6, or
/// a single address (Track360's "Whitelisted IPs"). The full IPv4 range,
/// 0.0.0.0-255.255.255.255, is open access: it admits every address, IPv6 included, as the
/// Track360 manual says of it (written as IPv4; the same range as IPv4-mapped IPv6 is not
/// open access). An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) is the IPv4 address it maps.
public struct IPRange: Sendable, Equatable, CustomStringConvertible {
    public let from: String
    public let to: String
    let low: [UInt8]
    let high: [UInt8]

    /// Parses a range; nil when an end is not an address, the ends are of two families, or
    /// `from` is above `to`.
    public init?(from: String, to: String? = nil) {
        guard let low = Self.bytes(from), let high = Self.bytes(to ?? from), low.count == high.count,
            low.lexicographicallyPrecedes(high) || low == high
        else { return nil }
        self.from = from
        self.to = to ?? from
        self.low = low
        self.high = high
    }

    /// Whether the range admits `address` (a textual IPv4 or IPv6 address).
    public func admits(_ address: String) -> Bool {
        if isOpenAccess { return Self.bytes(address) != nil }
        guard let value = Self.bytes(address), value.count == low.count else { return false }
        return !value.lexicographicallyPrecedes(low) && !high.lexicographicallyPrecedes(value)
    }

    /// 0.0.0.0-255.255.255.255.
    public var isOpenAccess: Bool {
        low == [0, 0, 0, 0] && high == [255, 255, 255, 255] && Self.isIPv4Text(from) && Self.isIPv4Text(to)
    }

    /// Written as IPv4 (an IPv4-mapped IPv6 range is not the open-access range).
    static func isIPv4Text(_ text: String) -> Bool {
        var v4 = in_addr()
        return inet_pton(AF_INET, text, &v4) == 1
    }

    public var description: String { from == to ? from : "\(from)-\(to)" }

    /// 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return Array(bytes[12...]) }
        return bytes
    }
}
