/// Where and why JSON text could not be parsed. `line` and `column` start at 1 (the
/// column counts characters, not bytes); `offset` is the byte offset from the start.
///
///     line 3, column 7: expected ',' or '}'
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// The error at byte `offset` of `text`, with its line and column worked out.
    init(message: String, offset: Int, in text: UnsafeRawBufferPointer) {
        var line = 1
        var column = 1
        for i in 0..<min(offset, text.count) {
            let b = text[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        self.init(message: message, line: line, column: column, offset: offset)
    }

    public var description: String { "line \(line), column \(column): \(message)" }

    /// The message for object keys that are one text in two Unicode forms, with every
    /// character outside printable ASCII written as `\uXXXX` so the two can be told apart.
    static func sameTextKeys(_ key: String, _ earlier: String) -> String {
        "key \(escaped(key)) and the earlier key \(escaped(earlier)) are the same text in two Unicode forms"
    }

    private static func escaped(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22, 0x5C: out += "\\" + String(UnicodeScalar(UInt8(unit)))
            case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
