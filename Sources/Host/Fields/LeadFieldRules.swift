/// The byte-level rules behind the `fields` module: the same checks `lib/lead.lua` made
/// with Lua patterns, in C-locale terms (`%s` is tab, line feed, vertical tab, form feed,
/// carriage return and space; `%a` is A-Z a-z; `%d` is 0-9; `%x` adds a-f A-F).
public enum LeadFieldRules {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 97 && (b | 0x20) <= 102) }

    /// The range of `bytes` without leading and trailing spaces (empty when all are spaces).
    public static func trimmed(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    /// `something@domain.tld`: no spaces, exactly one `@` with something before it, and a
    /// dot in the domain with something on both sides.
    public static func isEmail(_ s: UnsafeRawBufferPointer) -> Bool {
        var at = -1
        for (i, b) in s.enumerated() {
            if isSpace(b) { return false }
            if b == UInt8(ascii: "@") {
                if at >= 0 { return false }
                at = i
            }
        }
        guard at > 0 else { return false }
        let domain = (at + 1)..<s.count
        guard domain.count >= 3 else { return false }
        for i in (domain.lowerBound + 1)..<(domain.upperBound - 1) where s[i] == UInt8(ascii: ".") { return true }
        return false
    }

    /// Two letters, nothing else.
    public static func isCountry(_ s: UnsafeRawBufferPointer) -> Bool {
        s.count == 2 && isLetter(s[0]) && isLetter(s[1])
    }

    /// Two letters alone or followed by `-` or `_` (a language tag such as `de-AT`).
    public static func isLanguageTag(_ s: UnsafeRawBufferPointer) -> Bool {
        guard s.count >= 2, isLetter(s[0]), isLetter(s[1]) else { return false }
        return s.count == 2 || s[2] == UInt8(ascii: "-") || s[2] == UInt8(ascii: "_")
    }

    /// Four dot-separated groups of 1-3 digits, each at most 255 (leading zeros allowed),
    /// or text holding a colon made only of hex digits, colons and dots (IPv6, syntax only).
    public static func isIP(_ s: UnsafeRawBufferPointer) -> Bool {
        if isIPv4(s) { return true }
        var colon = false
        for b in s {
            if b == UInt8(ascii: ":") { colon = true; continue }
            if b != UInt8(ascii: ".") && !isHex(b) { return false }
        }
        return colon
    }

    static func isIPv4(_ s: UnsafeRawBufferPointer) -> Bool {
        var groups = 0
        var digits = 0
        var value = 0
        var bad = false
        for b in s {
            if isDigit(b) {
                digits += 1
                if digits > 3 { bad = true } else { value = value * 10 + Int(b - 48) }
            } else if b == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                if value > 255 { bad = true }
                groups += 1
                digits = 0
                value = 0
            } else {
                return false
            }
        }
        guard groups == 3, digits > 0 else { return false }
        return !bad && value <= 255
    }

    /// The decimal digits of `s`, in order.
    public static func digits(_ s: UnsafeRawBufferPointer) -> [UInt8] {
        s.filter(isDigit)
    }

    /// Whether `s` (already trimmed) is one of the spellings of yes: 1, true, yes, on
    /// (letters in any case).
    public static func isYes(_ s: UnsafeRawBufferPointer) -> Bool {
        switch s.count {
        case 1: return s[0] == UInt8(ascii: "1")
        case 2: return (s[0] | 0x20) == UInt8(ascii: "o") && (s[1] | 0x20) == UInt8(ascii: "n")
        case 3: return equalsIgnoringCase(s, "yes")
        case 4: return equalsIgnoringCase(s, "true")
        default: return false
        }
    }

    static func equalsIgnoringCase(_ s: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard s.count == lower.utf8CodeUnitCount else { return false }
        let p = lower.utf8Start
        for i in 0..<s.count {
            let b = s[i]
            let folded = (b >= 65 && b <= 90) ? b | 0x20 : b
            if folded != p[i] { return false }
        }
        return true
    }
}
