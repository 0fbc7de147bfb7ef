/// A text decoded for the masker to search (`%XX` escapes in either case, JSON string
/// escapes `\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t` `\u00XX`), each decoded byte remembering
/// which bytes of the text it came from, so that a secret found in the decoded bytes masks
/// the escapes that wrote it.
struct DecodedText {
    let bytes: [UInt8]
    /// Start in the text of each decoded byte, plus the text's end.
    let starts: [UInt32]

    /// The decoded form of `text`, or nil when it holds nothing to decode.
    init?(decoding text: UnsafeBufferPointer<UInt8>) {
        guard text.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\\") }) else { return nil }
        var bytes: [UInt8] = []
        var starts: [UInt32] = []
        bytes.reserveCapacity(text.count)
        starts.reserveCapacity(text.count + 1)
        var i = 0
        while i < text.count {
            starts.append(UInt32(i))
            let (byte, length) = Self.decoded(at: i, in: text)
            bytes.append(byte)
            i += length
        }
        starts.append(UInt32(text.count))
        self.bytes = bytes
        self.starts = starts
    }

    /// The byte an escape at `i` stands for and its length; a byte that begins no escape
    /// stands for itself.
    private static func decoded(at i: Int, in text: UnsafeBufferPointer<UInt8>) -> (UInt8, Int) {
        let b = text[i]
        if b == UInt8(ascii: "%"), i + 2 < text.count, let hi = Hex.value(of: text[i + 1]), let lo = Hex.value(of: text[i + 2]) {
            return (hi << 4 | lo, 3)
        }
        guard b == UInt8(ascii: "\\"), i + 1 < text.count else { return (b, 1) }
        switch text[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return (text[i + 1], 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            if i + 5 < text.count, text[i + 2] == UInt8(ascii: "0"), text[i + 3] == UInt8(ascii: "0"),
                let hi = Hex.value(of: text[i + 4]), let lo = Hex.value(of: text[i + 5])
            {
                return (hi << 4 | lo, 6)
            }
            return (b, 1)
        default: return (b, 1)
        }
    }
}
