/// Where the Trackbox emulator looks up a lead's country. Trackbox's signup body has no
/// country field (its public "Push Leads" page lists ai, ci, gi, userip, firstname, ...):
/// ASSUMPTION, a box geolocates `userip`. The emulator knows one range, 175.45.176.0/22,
/// allocated to North Korea, so the default blocked country (KP) can be exercised; any
/// other address has no known country and passes.
enum TrackboxGeo {
    /// IPv4 ranges (first address, prefix length) -> ISO 3166 alpha-2 country.
    static let ranges: [(start: UInt32, prefix: Int, country: String)] = [
        (start: 0xAF2D_B000, prefix: 22, country: "KP")  // 175.45.176.0/22
    ]

    /// The country of an IPv4 address in dotted form, or nil (unknown, IPv6 or malformed).
    static func country(of address: String) -> String? {
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        for range in ranges {
            let mask: UInt32 = range.prefix == 0 ? 0 : ~UInt32(0) << (32 - range.prefix)
            if value & mask == range.start & mask { return range.country }
        }
        return nil
    }
}
