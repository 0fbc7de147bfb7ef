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
}
