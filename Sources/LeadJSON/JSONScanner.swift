import Glibc

/// A cursor over JSON text, shared by the parser that builds `JSONValue`s and the decoder
/// that pushes Lua values: it skips white space and reads strings, numbers and literals
/// straight from the input bytes, and remembers the first error with its byte offset.
///
/// A string without escapes is handed out as a slice of the input; one with escapes is
/// unescaped into a scratch buffer the scanner owns, valid until the next `scanString`.
@_spi(LuaCodecs) public struct JSONScanner: ~Copyable {
    @_spi(LuaCodecs) public let text: UnsafeRawBufferPointer
    @_spi(LuaCodecs) public let bytes: UnsafePointer<UInt8>
    @_spi(LuaCodecs) public let count: Int
    @_spi(LuaCodecs) public var position = 0
    @_spi(LuaCodecs) public private(set) var failure: (message: String, offset: Int)?

    private var scratch: UnsafeMutablePointer<UInt8>?
    private var scratchCapacity = 0
    private var scratchCount = 0

    @_spi(LuaCodecs) public init(_ text: UnsafeRawBufferPointer) {
        self.text = text
        self.count = text.count
        self.bytes = text.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? JSONScanner.emptyText
        if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            failure = ("byte order mark (U+FEFF) before the JSON text", 0)
        }
    }

    deinit { scratch?.deallocate() }

    nonisolated(unsafe) private static let emptyText = UnsafePointer<UInt8>(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))

    /// The error found, with its line and column.
    @_spi(LuaCodecs) public var error: JSONParseError? {
        failure.map { JSONParseError(message: $0.message, offset: $0.offset, in: text) }
    }

    @inlinable @inline(__always) @_spi(LuaCodecs) public var isAtEnd: Bool { position >= count }
    /// The byte at the cursor; only when not at the end.
    @inlinable @inline(__always) @_spi(LuaCodecs) public var current: UInt8 { bytes[position] }

    /// Records `message` at `offset` (the first error wins) and returns `false`.
    @discardableResult
    @_spi(LuaCodecs) public mutating func fail(_ message: String, at offset: Int) -> Bool {
        if failure == nil { failure = (message, offset) }
        return false
    }

    @inlinable @inline(__always)
    @_spi(LuaCodecs) public mutating func skipWhitespace() {
        while position < count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Reads `true`, `false` or `null` (`literal`) at the cursor.
    @inlinable
    @_spi(LuaCodecs) public mutating func scanLiteral(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        let start = position
        if count - position >= length && memcmp(bytes + position, literal.utf8Start, length) == 0 {
            position += length
            return true
        }
        return fail("invalid literal, expected '\(literal)'", at: start)
    }

    // MARK: Strings

    /// Reads the string whose opening quote is at the cursor and returns its bytes
    /// (unescaped, valid UTF-8), or `nil` after recording an error.
    @inlinable @inline(__always)
    @_spi(LuaCodecs) public mutating func scanString() -> UnsafeRawBufferPointer? {
        let open = position
        position += 1
        let start = position
        while position < count {
            if position + 8 <= count
                && !JSONSpecialBytes.any(in: UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self))
            {
                position += 8
                continue
            }
            let b = bytes[position]
            if b == 0x22 {
                position += 1
                return UnsafeRawBufferPointer(start: bytes + start, count: position - 1 - start)
            }
            if b == 0x5C { return scanEscapedString(open: open, start: start) }
            if b < 0x20 { return failString(controlCharacter: b) }
            if b < 0x80 {
                position += 1
            } else {
                let length = UTF8Validation.sequenceLength(bytes + position, available: count - position)
                if length == 0 { return failString("invalid UTF-8 in string", at: position) }
                position += length
            }
        }
        return failString("unterminated string", at: open)
    }

    @usableFromInline
    mutating func scanEscapedString(open: Int, start: Int) -> UnsafeRawBufferPointer? {
        scratchCount = 0
        var run = start
        while position < count {
            let b = bytes[position]
            if b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C {
                position += 1
                continue
            }
            appendScratch(bytes + run, position - run)
            if b == 0x22 {
                position += 1
                return UnsafeRawBufferPointer(start: scratch, count: scratchCount)
            }
            if b == 0x5C {
                guard scanEscape(open: open) else { return nil }
            } else if b < 0x20 {
                return failString(controlCharacter: b)
            } else {
                let length = UTF8Validation.sequenceLength(bytes + position, available: count - position)
                if length == 0 { return failString("invalid UTF-8 in string", at: position) }
                appendScratch(bytes + position, length)
                position += length
            }
            run = position
        }
        return failString("unterminated string", at: open)
    }

    /// Reads the escape at the cursor (a backslash) into the scratch buffer.
    private mutating func scanEscape(open: Int) -> Bool {
        let escape = position
        guard position + 1 < count else { return fail("unterminated string", at: open) }
        let decoded: UInt8
        switch bytes[position + 1] {
        case 0x22: decoded = 0x22
        case 0x5C: decoded = 0x5C
        case 0x2F: decoded = 0x2F
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"): return scanUnicodeEscape()
        case let other:
            let shown = other >= 0x21 && other < 0x7F ? String(UnicodeScalar(other)) : "U+\(hex4(UInt32(other)))"
            return fail("invalid escape '\\\(shown)' in string", at: escape)
        }
        var byte = decoded
        appendScratch(&byte, 1)
        position += 2
        return true
    }

    /// Reads `\uXXXX` (a surrogate pair as two escapes) at the cursor.
    private mutating func scanUnicodeEscape() -> Bool {
        let escape = position
        guard let unit = hexValue(at: position + 2) else {
            return fail("invalid \\u escape: expected four hex digits", at: escape)
        }
        position += 6
        var scalar = unit
        if unit >= 0xD800 && unit <= 0xDBFF {
            guard position + 1 < count, bytes[position] == 0x5C, bytes[position + 1] == UInt8(ascii: "u"),
                let low = hexValue(at: position + 2), low >= 0xDC00 && low <= 0xDFFF
            else {
                return fail("lone surrogate \\u\(hex4(unit)) (a high surrogate must be followed by a \\uDC00-\\uDFFF escape)", at: escape)
            }
            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            position += 6
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
            return fail("lone surrogate \\u\(hex4(unit)) (a low surrogate without a high one)", at: escape)
        }
        var encoded: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let length: Int
        if scalar < 0x80 {
            encoded.0 = UInt8(scalar)
            length = 1
        } else if scalar < 0x800 {
            encoded = (0xC0 | UInt8(scalar >> 6), 0x80 | UInt8(scalar & 0x3F), 0, 0)
            length = 2
        } else if scalar < 0x10000 {
            encoded = (0xE0 | UInt8(scalar >> 12), 0x80 | UInt8((scalar >> 6) & 0x3F), 0x80 | UInt8(scalar & 0x3F), 0)
            length = 3
        } else {
            encoded = (
                0xF0 | UInt8(scalar >> 18), 0x80 | UInt8((scalar >> 12) & 0x3F),
                0x80 | UInt8((scalar >> 6) & 0x3F), 0x80 | UInt8(scalar & 0x3F)
            )
            length = 4
        }
        withUnsafeBytes(of: &encoded) { appendScratch($0.baseAddress!.assumingMemoryBound(to: UInt8.self), length) }
        return true
    }

    private func hexValue(at offset: Int) -> UInt32? {
        guard offset + 4 <= count else { return nil }
        var value: UInt32 = 0
        for i in offset..<offset + 4 {
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x61...0x66: digit = b - 0x61 + 10
            case 0x41...0x46: digit = b - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    @usableFromInline
    mutating func failString(controlCharacter b: UInt8) -> UnsafeRawBufferPointer? {
        failString("unescaped control character U+\(hex4(UInt32(b)).uppercased()) in string", at: position)
    }

    @usableFromInline
    mutating func failString(_ message: String, at offset: Int) -> UnsafeRawBufferPointer? {
        fail(message, at: offset)
        return nil
    }

    private mutating func appendScratch(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard n > 0 else { return }
        if scratchCount + n > scratchCapacity {
            let capacity = max(64, (scratchCount + n) * 2)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            if let old = scratch {
                grown.update(from: old, count: scratchCount)
                old.deallocate()
            }
            scratch = grown
            scratchCapacity = capacity
        }
        (scratch! + scratchCount).update(from: p, count: n)
        scratchCount += n
    }
}
