/// A number read from JSON text: `integer` when it has no fraction or exponent and fits
/// in 64 bits (contract, section 4), `double` otherwise.
@_spi(LuaCodecs) public enum JSONNumber {
    case integer(Int64)
    case double(Double)
}

extension JSONScanner {
    /// Reads the number at the cursor (`-`? `0` | `[1-9][0-9]*`, then an optional fraction
    /// and exponent), or returns `nil` after recording an error.
    @inlinable @inline(__always)
    @_spi(LuaCodecs) public mutating func scanNumber() -> JSONNumber? {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < count, isDigit(bytes[position]) else { return failNumber("expected a digit", at: position) }
        var mantissa: UInt64 = 0
        var overflowed = false
        var decimalExponent = 0
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < count && isDigit(bytes[position]) {
                return failNumber("leading zero in number", at: position - 1)
            }
        } else {
            while position < count, isDigit(bytes[position]) {
                accumulate(bytes[position], &mantissa, &overflowed, &decimalExponent, fraction: false)
                position += 1
            }
        }
        var isInteger = true
        if position < count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < count, isDigit(bytes[position]) else {
                return failNumber("expected a digit after '.'", at: position)
            }
            while position < count, isDigit(bytes[position]) {
                accumulate(bytes[position], &mantissa, &overflowed, &decimalExponent, fraction: true)
                position += 1
            }
            isInteger = false
        }
        if position < count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            position += 1
            var exponentNegative = false
            if position < count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < count, isDigit(bytes[position]) else {
                return failNumber("expected a digit in the exponent", at: position)
            }
            var exponent = 0
            while position < count, isDigit(bytes[position]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[position] - 0x30) }
                position += 1
            }
            decimalExponent += exponentNegative ? -exponent : exponent
            isInteger = false
        }
        if isInteger && !overflowed {
            if !negative && mantissa <= UInt64(Int64.max) { return .integer(Int64(mantissa)) }
            if negative && mantissa <= UInt64(Int64.max) + 1 { return .integer(Int64(truncatingIfNeeded: 0 &- mantissa)) }
        }
        if !overflowed && mantissa <= 1 << 53 && decimalExponent >= -22 && decimalExponent <= 22 {
            // Both operands are exact, so one IEEE operation rounds correctly.
            var value = Double(mantissa)
            if decimalExponent < 0 {
                value /= Self.powersOfTen[-decimalExponent]
            } else {
                value *= Self.powersOfTen[decimalExponent]
            }
            return .double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeRawBufferPointer(start: bytes + start, count: position - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            return failNumber("number out of range", at: start)
        }
        return .double(value)
    }

    @inlinable @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Adds a digit to the exact mantissa; once it would overflow, the number goes to the
    /// slow path, which reads the text again.
    @inlinable @inline(__always)
    func accumulate(
        _ b: UInt8, _ mantissa: inout UInt64, _ overflowed: inout Bool,
        _ decimalExponent: inout Int, fraction: Bool
    ) {
        guard !overflowed else { return }
        let (times10, o1) = mantissa.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(UInt64(b &- 0x30))
        if o1 || o2 {
            overflowed = true
            return
        }
        mantissa = sum
        if fraction { decimalExponent -= 1 }
    }

    @usableFromInline
    mutating func failNumber(_ message: String, at offset: Int) -> JSONNumber? {
        fail(message, at: offset)
        return nil
    }

    @usableFromInline static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
