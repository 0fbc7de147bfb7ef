import Host

/// `application/x-www-form-urlencoded` and query strings, RFC 3986 style: every byte but
/// the unreserved ones (A-Z a-z 0-9 - . _ ~) percent-encoded, keys sorted by byte order.
enum FormEncoding {
    /// Decodes `%XX` and `+` (space); malformed escapes are kept as they are.
    static func percentDecode(_ text: Substring) -> String {
        String(decoding: PercentEncoding.decode(text.utf8), as: UTF8.self)
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
                let ka = pairs[a].0.utf8
                let kb = pairs[b].0.utf8
                if ka.elementsEqual(kb) { return a < b }
                return ka.lexicographicallyPrecedes(kb)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 2 } + 16)
        for (n, i) in order.enumerated() {
            if n > 0 { out.append(0x26) }  // &
            PercentEncoding.encode(pairs[i].0.utf8, into: &out)
            out.append(0x3D)  // =
            PercentEncoding.encode(pairs[i].1.utf8, into: &out)
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
