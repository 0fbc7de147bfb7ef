/// The byte-level rules every JSON writer of the host shares (contract, section 4): which
/// characters are escaped and how numbers are written, so that a signed body is the same
/// bytes whichever path produced it.
///
/// Strings: `"` `\` and control characters below U+0020 are escaped (`\n` `\r` `\t` `\b`
/// `\f`, else `\u00XX`); `/` and non-ASCII characters are written as they are (UTF-8).
/// Numbers: integers in decimal; a float that is integral and fits in 64 bits as an
/// integer (`49.0` -> `49`); any other finite float in the shortest form that reads back
/// as the same `Double` (`0.1`, `1e-07`, `1e+300`).
@_spi(LuaCodecs) public enum JSONWriter {
    /// Appends `bytes` as a quoted JSON string. Returns `false` (with a partial string
    /// appended) when `bytes` is not valid UTF-8.
    @inlinable @inline(__always)
    @_spi(LuaCodecs) public static func appendString(_ bytes: UnsafeRawBufferPointer, to out: inout JSONBuffer) -> Bool {
        out.append(0x22)
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            out.append(0x22)
            return true
        }
        let count = bytes.count
        var i = 0
        var run = 0
        while i < count {
            if i + 8 <= count && !JSONSpecialBytes.any(in: UnsafeRawPointer(start + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
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

    @usableFromInline
    static func appendEscape(_ b: UInt8, to out: inout JSONBuffer) {
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
    @inlinable @inline(__always)
    @_spi(LuaCodecs) public static func appendInteger(_ value: Int64, to out: inout JSONBuffer) {
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
    @inlinable @inline(__always)
    @_spi(LuaCodecs) public static func appendDouble(_ value: Double, to out: inout JSONBuffer) -> Bool {
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
    @_spi(LuaCodecs) public static func nonFiniteName(_ value: Double) -> String {
        value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf")
    }
}
