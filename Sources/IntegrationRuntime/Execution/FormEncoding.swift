/// `application/x-www-form-urlencoded` and query strings, RFC 3986 style: every byte but
/// the unreserved ones (A-Z a-z 0-9 - . _ ~) percent-encoded, keys sorted by byte order.
enum FormEncoding {
    static func percentEncode(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        for b in text.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.append(b)
            default:
                out.append(0x25)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` and `+` (space); malformed escapes are kept as they are.
    static func percentDecode(_ text: Substring) -> String {
        var out = [UInt8]()
        let bytes = Array(text.utf8)
        var i = 0
        func hexValue(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x25, i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b == 0x2B ? 0x20 : b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `k=v&k2=v2` from pairs, sorted by key (stable for repeated keys).
    static func encode(_ pairs: [(String, String)]) -> String {
        String(decoding: encodedBytes(pairs), as: UTF8.self)
    }

    /// The same as bytes, written in one buffer (a form body goes on the wire as is).
    static func encodedBytes(_ pairs: [(String, String)]) -> [UInt8] {
        var order = Array(pairs.indices)
        if !isSorted(pairs) {
            order.sort { a, b in
                let ka = pairs[a].0.utf8, kb = pairs[b].0.utf8
                if ka.elementsEqual(kb) { return a < b }
                return ka.lexicographicallyPrecedes(kb)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 2 } + 16)
        for (n, i) in order.enumerated() {
            if n > 0 { out.append(0x26) }  // &
            appendPercentEncoded(pairs[i].0, to: &out)
            out.append(0x3D)  // =
            appendPercentEncoded(pairs[i].1, to: &out)
        }
        return out
    }

    private static func isSorted(_ pairs: [(String, String)]) -> Bool {
        var i = 1
        while i < pairs.count {
            if pairs[i].0.utf8.lexicographicallyPrecedes(pairs[i - 1].0.utf8) { return false }
            i += 1
        }
        return true
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func appendPercentEncoded(_ text: String, to out: inout [UInt8]) {
        for b in text.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.append(b)
            default:
                out.append(0x25)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 15)])
            }
        }
    }

    /// Pairs of a query or form string, decoded, in order.
    static func decode(_ text: Substring) -> [(String, String)] {
        var text = text
        if text.first == "?" { text = text.dropFirst() }
        return text.split(separator: "&").map { part in
            if let eq = part.firstIndex(of: "=") {
                return (percentDecode(part[..<eq]), percentDecode(part[part.index(after: eq)...]))
            }
            return (percentDecode(part), "")
        }
    }
}
