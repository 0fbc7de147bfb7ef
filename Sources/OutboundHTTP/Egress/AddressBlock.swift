#if canImport(Glibc)
import Glibc
#endif

/// A block of addresses in CIDR notation (`127.0.0.0/8`, `10.1.2.3/32`, `fd00::/8`), or a
/// single address (`10.1.2.3`, a /32; `::1`, a /128). An egress policy lets loopback and
/// private addresses through only inside its blocks.
///
/// An IPv6 address that carries an IPv4 one (`::ffff:127.0.0.1`, `::127.0.0.1`,
/// `64:ff9b::7f00:1`) is inside an IPv4 block when the IPv4 address it reaches is: the same
/// rule as the policy's scopes, so no spelling of an address gets around a block.
public struct AddressBlock: Sendable, Equatable, CustomStringConvertible {
    enum Network: Equatable {
        case v4(UInt32)
        case v6(high: UInt64, low: UInt64)
    }

    let network: Network
    /// The prefix length: 0-32 for IPv4, 0-128 for IPv6.
    public let prefixLength: Int
    /// As written, normalised (`127.0.0.0/8`).
    public let description: String

    /// Parses `address/prefix` or a bare address; nil for anything else (a host name, a
    /// prefix out of range, host bits set beyond the prefix as in `10.0.0.1/8`).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(literal: String(parts[0])) else { return nil }
        switch address {
        case .v4(let raw):
            let value = UInt32(bigEndian: raw)
            guard let length = Self.prefix(parts, max: 32) else { return nil }
            guard length == 32 || value & ~Self.mask32(length) == 0 else { return nil }
            network = .v4(value)
            prefixLength = length
        case .v6(let raw):
            let (high, low) = withUnsafeBytes(of: raw) { Self.halves($0) }
            guard let length = Self.prefix(parts, max: 128) else { return nil }
            let (maskHigh, maskLow) = Self.mask128(length)
            guard high & ~maskHigh == 0, low & ~maskLow == 0 else { return nil }
            network = .v6(high: high, low: low)
            prefixLength = length
        }
        description = "\(parts[0])/\(prefixLength)"
    }

    /// Whether the address written `literal` (dotted IPv4 or IPv6) lies in this block; false
    /// for anything that is not an address.
    public func contains(literal: String) -> Bool {
        guard let address = IPAddress(literal: literal) else { return false }
        return contains(address)
    }

    /// Whether `address` lies in this block.
    func contains(_ address: IPAddress) -> Bool {
        switch (network, address) {
        case (.v4(let base), _):
            guard let value = address.reachedIPv4 else { return false }
            return value & Self.mask32(prefixLength) == base
        case (.v6(let baseHigh, let baseLow), .v6(let raw)):
            let (high, low) = withUnsafeBytes(of: raw) { Self.halves($0) }
            let (maskHigh, maskLow) = Self.mask128(prefixLength)
            return high & maskHigh == baseHigh && low & maskLow == baseLow
        case (.v6, .v4):
            return false
        }
    }

    private static func prefix(_ parts: [Substring], max: Int) -> Int? {
        guard parts.count == 2 else { return max }
        guard parts[1].allSatisfy(\.isWholeNumber), parts[1].allSatisfy(\.isASCII), let length = Int(parts[1]), (0...max).contains(length)
        else { return nil }
        return length
    }

    static func mask32(_ length: Int) -> UInt32 { length == 0 ? 0 : ~UInt32(0) << (32 - length) }

    static func mask128(_ length: Int) -> (UInt64, UInt64) {
        if length <= 64 { return (length == 0 ? 0 : ~UInt64(0) << (64 - length), 0) }
        return (~UInt64(0), ~UInt64(0) << (128 - length))
    }

    static func halves(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        (
            UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        )
    }
}

extension IPAddress {
    /// The IPv4 address (host byte order) this address reaches: itself, or the one an IPv6
    /// address carries (IPv4-mapped, IPv4-compatible, NAT64), as `scope` reads them.
    var reachedIPv4: UInt32? {
        switch self {
        case .v4(let raw):
            return UInt32(bigEndian: raw)
        case .v6(let raw):
            let (high, low) = withUnsafeBytes(of: raw) { AddressBlock.halves($0) }
            let embedded = UInt32(truncatingIfNeeded: low)
            if high == 0, low > 1, low >> 32 == 0xFFFF || low >> 32 == 0 { return embedded }
            if high == 0x0064_FF9B_0000_0000, low >> 32 == 0 { return embedded }
            return nil
        }
    }
}
