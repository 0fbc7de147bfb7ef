extension CredentialHeaders {
    /// `text` (a log line) with the credentials of every credential header written in it
    /// masked: `Authorization: Basic ***` as in HTTP, `"Authorization":"Bearer ***"` as in
    /// a logged table, `cookie=...`. The name may be in any case, followed by `:` or `=`;
    /// a quoted value ends at its closing quote, another at the end of the line (or at `&`
    /// after `=`).
    public static func maskedInText(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard let masked = maskedInText(bytes) else { return text }
        return String(decoding: masked, as: UTF8.self)
    }

    /// nil when nothing was masked.
    static func maskedInText(_ text: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var copied = 0
        var i = 0
        while i < text.count {
            guard let (kind, nameEnd) = header(at: i, in: text), let range = value(after: nameEnd, in: text) else {
                i += 1
                continue
            }
            out += text[copied..<range.lowerBound]
            out += masked(text[range], kind)
            copied = range.upperBound
            i = max(range.upperBound, i + 1)
        }
        guard copied > 0 else { return nil }
        out += text[copied...]
        return out
    }

    /// The credential header whose name starts at `i` (not inside a longer word), and
    /// where the name ends.
    private static func header(at i: Int, in text: [UInt8]) -> (Kind, Int)? {
        let first = text[i] | 0x20
        guard first == UInt8(ascii: "a") || first == UInt8(ascii: "c") else { return nil }
        if i > 0, isWordByte(text[i - 1]) { return nil }
        if starts(text, at: i, with: "authorization") { return (.authorization, i + 13) }
        guard starts(text, at: i, with: "cookie") else { return nil }
        // "Set-Cookie": its '-' makes this a word start, so look behind for "set-".
        let kind: Kind = i >= 4 && starts(text, at: i - 4, with: "set-") ? .setCookie : .cookie
        return (kind, i + 6)
    }

    /// The value after a name ending at `j`: past an optional closing quote, `:` or `=`,
    /// spaces and an optional opening quote.
    private static func value(after j: Int, in text: [UInt8]) -> Range<Int>? {
        var p = j
        if p < text.count, text[p] == UInt8(ascii: "\"") || text[p] == UInt8(ascii: "'") { p += 1 }
        while p < text.count, text[p] == 0x20 { p += 1 }
        guard p < text.count, text[p] == UInt8(ascii: ":") || text[p] == UInt8(ascii: "=") else { return nil }
        let equals = text[p] == UInt8(ascii: "=")
        p += 1
        while p < text.count, text[p] == 0x20 { p += 1 }
        if p < text.count, text[p] == UInt8(ascii: "\"") || text[p] == UInt8(ascii: "'") {
            let quote = text[p]
            let start = p + 1
            var end = start
            while end < text.count, text[end] != quote, text[end] != 0x0A {
                end += text[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            end = min(end, text.count)
            return end > start ? start..<end : nil
        }
        var end = p
        while end < text.count, text[end] != 0x0A, text[end] != 0x0D, !(equals && text[end] == UInt8(ascii: "&")) { end += 1 }
        return end > p ? p..<end : nil
    }

    private static func starts(_ text: [UInt8], at i: Int, with lower: StaticString) -> Bool {
        let n = lower.utf8CodeUnitCount
        guard i + n <= text.count else { return false }
        let other = UnsafeBufferPointer(start: lower.utf8Start, count: n)
        return (0..<n).allSatisfy { text[i + $0] == other[$0] || (SecretForm.isLetter(text[i + $0]) && text[i + $0] | 0x20 == other[$0]) }
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        SecretForm.isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
    }
}
