/// The byte classes of HTTP/1.1's syntax, shared by the request checks, the URL reader
/// and the response parser.

/// RFC 9110 `tchar`: the bytes allowed in methods and header names.
func isTokenByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    default:
        return "!#$%&'*+-.^_`|~".utf8.contains(b)
    }
}

extension String.UTF8View {
    /// Starts with `lower` (given in lower case), ignoring the case of ASCII letters.
    func starts(withASCIIIgnoringCase lower: StaticString) -> Bool {
        let other = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        return count >= other.count && zip(self, other).allSatisfy { ($0 | 0x20) == $1 || $0 == $1 }
    }
}

extension Collection<UInt8> {
    /// Equal to `lower` (given in lower case), ignoring the case of ASCII letters.
    func equalsASCIIIgnoringCase(_ lower: StaticString) -> Bool {
        let other = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        return count == other.count && zip(self, other).allSatisfy { ($0 | 0x20) == $1 || $0 == $1 }
    }
}

extension StringProtocol {
    /// Equal to `lower` (given in lower case), ignoring the case of ASCII letters.
    func equalsASCIIIgnoringCase(_ lower: StaticString) -> Bool { utf8.equalsASCIIIgnoringCase(lower) }
}

/// The value of an ASCII hex digit, or nil.
func hexDigitValue(_ b: UInt8) -> Int? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(b - 48)
    case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(b - 87)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(b - 55)
    default: nil
    }
}
