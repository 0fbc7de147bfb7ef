/// The headers that carry credentials whatever the script declared secret:
/// `Authorization` and `Proxy-Authorization` (the scheme word is kept: `Basic ***`,
/// `Bearer ***`; a value of one word is all credential: `***`), `Cookie` and `Set-Cookie`
/// (each cookie's name kept, its value masked: `sid=***; lang=***`; a `Set-Cookie`'s
/// attributes after the first `;` kept). Applied wherever headers are printed or stored.
public enum CredentialHeaders {
    enum Kind { case authorization, cookie, setCookie }

    /// True for a header whose value is a credential (name in any case).
    public static func carriesCredentials(_ name: String) -> Bool { kind(of: name) != nil }

    /// `value` with its credentials replaced by `***` when `name` is such a header.
    public static func masked(name: String, value: String) -> String {
        guard let kind = kind(of: name) else { return value }
        return String(decoding: masked(Array(value.utf8)[...], kind), as: UTF8.self)
    }

    static func kind(of name: String) -> Kind? {
        if name.equalsLowercase("authorization") || name.equalsLowercase("proxy-authorization") { return .authorization }
        if name.equalsLowercase("cookie") { return .cookie }
        if name.equalsLowercase("set-cookie") { return .setCookie }
        return nil
    }

    static func masked(_ value: ArraySlice<UInt8>, _ kind: Kind) -> [UInt8] {
        let mark = Array(SecretMasker.mark.utf8)
        let trimmed = value.drop { $0 == 0x20 || $0 == 0x09 }
        guard !trimmed.isEmpty else { return Array(value) }
        switch kind {
        case .authorization:
            // "Scheme credentials": keep the scheme; a single word is all credential.
            guard let space = trimmed.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) else { return mark }
            return Array(value[..<space]) + [0x20] + mark
        case .cookie, .setCookie:
            var out: [UInt8] = []
            let pairs = value.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ";")) }
                if kind == .setCookie && index > 0 {
                    out += pair  // attributes: Path, Domain, Expires, HttpOnly...
                } else if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                    out += pair[...equals] + mark
                } else if pair.contains(where: { $0 != 0x20 }) {
                    out += pair.prefix { $0 == 0x20 } + mark
                }
            }
            return out
        }
    }
}

extension String {
    /// Equal to `lower` (in lower case), ignoring the case of ASCII letters.
    func equalsLowercase(_ lower: StaticString) -> Bool {
        let other = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        return utf8.count == other.count && zip(utf8, other).allSatisfy { $0 == $1 || (SecretForm.isLetter($0) && $0 | 0x20 == $1) }
    }
}
