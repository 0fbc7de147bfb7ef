#if canImport(Glibc)
import Glibc
#endif

/// The kind of network an address belongs to, as far as the egress policy cares. The raw
/// value is the word an egress refusal uses ("... is link-local").
enum AddressScope: String, Sendable {
    case global = "public"
    /// 127.0.0.0/8, ::1.
    case loopback
    /// 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7 (unique
    /// local), fec0::/10 (the old site-local).
    case privateNetwork = "private"
    /// 169.254/16 (where clouds serve instance metadata: 169.254.169.254), fe80::/10.
    case linkLocal = "link-local"
    /// 0.0.0.0/8 (Linux connects 0.0.0.0 to the local host), ::.
    case unspecified
}

extension IPAddress {
    /// The address's scope; an IPv6 address that carries an IPv4 one (IPv4-mapped
    /// `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) has the
    /// scope of the IPv4 address it reaches. A few integer comparisons: checked per connect.
    var scope: AddressScope {
        switch self {
        case .v4(let raw):
            return Self.scope(ofIPv4: UInt32(bigEndian: raw))
        case .v6(let raw):
            return withUnsafeBytes(of: raw) { Self.scope(ofIPv6: $0) }
        }
    }

    /// `address` in host byte order.
    static func scope(ofIPv4 address: UInt32) -> AddressScope {
        switch address >> 24 {
        case 0: return .unspecified
        case 127: return .loopback
        case 10: return .privateNetwork
        default: break
        }
        switch address >> 16 {
        case 0xA9FE: return .linkLocal  // 169.254/16
        case 0xAC10...0xAC1F, 0xC0A8: return .privateNetwork  // 172.16/12, 192.168/16
        default: break
        }
        return address >> 22 == 0x6440_0000 >> 22 ? .privateNetwork : .global  // 100.64/10
    }

    private static func scope(ofIPv6 bytes: UnsafeRawBufferPointer) -> AddressScope {
        let high = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        let low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let embedded = UInt32(truncatingIfNeeded: low)
        if high == 0 {
            if low == 0 { return .unspecified }
            if low == 1 { return .loopback }
            if low >> 32 == 0xFFFF || low >> 32 == 0 { return scope(ofIPv4: embedded) }  // mapped, compatible
        }
        if high == 0x0064_FF9B_0000_0000, low >> 32 == 0 { return scope(ofIPv4: embedded) }  // NAT64
        switch high >> 54 {
        case 0x3FA: return .linkLocal  // fe80::/10
        case 0x3FB: return .privateNetwork  // fec0::/10
        default: break
        }
        return high >> 57 == 0x7E ? .privateNetwork : .global  // fc00::/7
    }

    /// The address as text: dotted IPv4, or IPv6 as `inet_ntop` writes it (`::ffff:1.2.3.4`).
    var text: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case .v4(let raw):
            var address = in_addr(s_addr: raw)
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .v6(let raw):
            var address = raw
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
