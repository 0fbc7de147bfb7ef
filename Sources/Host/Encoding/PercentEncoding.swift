/// Percent-encoding of RFC 3986 as forms and query strings use it: every byte but the
/// unreserved ones (A-Z a-z 0-9 - . _ ~) becomes `%XX` with upper-case digits. The same
/// rules as IntegrationRuntime's `FormEncoding` (which uses it), on raw bytes, so binary
/// data survives.
public enum PercentEncoding {
    @usableFromInline static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    @inlinable public static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: return true
        default: return false
        }
    }

    @inlinable public static func encode(_ input: some Sequence<UInt8>, into out: inout [UInt8]) {
        for b in input {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out.append(0x25)
                out.append(upperDigits[Int(b >> 4)])
                out.append(upperDigits[Int(b & 0x0F)])
            }
        }
    }

    public static func encode(_ input: some Sequence<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        encode(input, into: &out)
        return out
    }

    /// Decodes `%XX` (either case) and `+` as a space; a `%` not followed by two hex
    /// digits is kept as it is.
    public static func decode(_ input: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(input)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x25, i + 2 < bytes.count, let hi = Hex.value(of: bytes[i + 1]), let lo = Hex.value(of: bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b == 0x2B ? 0x20 : b)
                i += 1
            }
        }
        return out
    }
}
