/// The byte-level rules every JSON writer of the host shares (contract, section 4): which
/// characters are escaped and how numbers are written, so that a signed body is the same
/// bytes whichever path produced it.
///
/// Strings: `"` `\` and control characters below U+0020 are escaped (`\n` `\r` `\t` `\b`
/// `\f`, else `\u00XX`); `/` and non-ASCII characters are written as they are (UTF-8).
/// Numbers: integers in decimal; a float that is integral and fits in 64 bits as an
/// integer (`49.0` -> `49`); any other finite float in the shortest form that reads back
/// as the same `Double` (`0.1`, `1e-07`, `1e+300`).
enum JSONWriter {
    /// Appends `bytes` as a quoted JSON string. Returns `false` (with a partial string
    /// appended) when `bytes` is not valid UTF-8.
    @inline(__always)
    static func appendString(_ bytes: UnsafeRawBufferPointer, to out: inout JSONBuffer) -> Bool {
        out.append(0x22)
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            out.append(0x22)
            return true
        }
        let count = bytes.count
        var i = 0
        var run = 0
        while i < count {
            let b = start[i]
            if b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if b >= 0x80 {
                let length = UTF8Validation.sequenceLength(start + i, available: count - i)
                if length == 0 { return false }
                i += length
                continue
            }
            if i > run { out.append(start + run, count: i - run) }
            appendEscape(b, to: &out)
            i += 1
            run = i
        }
        if i > run { out.append(start + run, count: i - run) }
        out.append(0x22)
        return true
    }

    private static func appendEscape(_ b: UInt8, to out: inout JSONBuffer) {
        let backslash: UInt8 = 0x5C
        switch b {
        case 0x22: out.append(backslash); out.append(0x22)
        case 0x5C: out.append(backslash); out.append(backslash)
        case 0x0A: out.append(backslash); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(backslash); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(backslash); out.append(UInt8(ascii: "t"))
        case 0x08: out.append(backslash); out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(backslash); out.append(UInt8(ascii: "f"))
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            out.append(backslash)
            out.append(UInt8(ascii: "u"))
            out.append(0x30)
            out.append(0x30)
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
    }

    /// Appends `value` in decimal.
    @inline(__always)
    static func appendInteger(_ value: Int64, to out: inout JSONBuffer) {
        if value >= 0 && value < 10 {
            out.append(0x30 + UInt8(value))
            return
        }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 20
            repeat {
                n -= 1
                digits[n] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 { out.append(0x2D) }
            out.append(digits.baseAddress! + n, count: 20 - n)
        }
    }

    /// Appends a float by the rules above; returns `false` for NaN and infinities, which
    /// JSON cannot express.
    @inline(__always)
    static func appendDouble(_ value: Double, to out: inout JSONBuffer) -> Bool {
        guard value.isFinite else { return false }
        if let integral = Int64(exactly: value) {
            appendInteger(integral, to: &out)
        } else {
            // Swift's description of a Double is the shortest text that round-trips.
            out.append(value.description)
        }
        return true
    }

    /// A name for a float JSON cannot express, for error messages.
    static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf")
    }
}

/// UTF-8 well-formedness (Unicode, table 3-7): no overlong forms, no surrogates, nothing
/// above U+10FFFF.
enum UTF8Validation {
    /// The length of the well-formed sequence starting at `p` (whose first byte is
    /// >= 0x80), or 0 when it is ill-formed or cut off.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        let b0 = p[0]
        @inline(__always) func cont(_ i: Int) -> Bool { p[i] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return available >= 2 && cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard available >= 3 else { return 0 }
            let b1 = p[1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            return b1 >= low && b1 <= high && cont(2) ? 3 : 0
        case 0xF0...0xF4:
            guard available >= 4 else { return 0 }
            let b1 = p[1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            return b1 >= low && b1 <= high && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Whether all of `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        var i = 0
        while i < bytes.count {
            if start[i] < 0x80 {
                i += 1
                continue
            }
            let length = sequenceLength(start + i, available: bytes.count - i)
            if length == 0 { return false }
            i += length
        }
        return true
    }
}
