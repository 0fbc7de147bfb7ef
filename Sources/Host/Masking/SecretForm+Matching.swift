extension SecretForm {
    /// Reusable buffers of one masking pass (positions a partial match may have reached).
    struct Scratch {
        var states: [Int] = []
        var next: [Int] = []
    }

    /// Appends the ranges of `text` where this form occurs (base64 forms widened to the
    /// characters they share with their neighbours, and any `=` padding after them).
    func collect(in text: UnsafeBufferPointer<UInt8>, into found: inout [Range<Int>], scratch: inout Scratch) {
        guard let head = bytes.first else { return }
        var i = 0
        while i < text.count {
            guard mayStart(text[i], head: head), let end = matchEnd(from: i, in: text, scratch: &scratch) else {
                i += 1
                continue
            }
            var range = i..<end
            if let alphabet = base64 { range = widened(range, in: text, alphabet: alphabet) }
            found.append(range)
            i = end
        }
    }

    private func mayStart(_ byte: UInt8, head: UInt8) -> Bool {
        same(byte, head) || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") || (head == 0x20 && byte == UInt8(ascii: "+"))
    }

    private func same(_ a: UInt8, _ b: UInt8) -> Bool {
        a == b || (foldsCase && Self.isLetter(a) && (a | 0x20) == (b | 0x20))
    }

    /// The end of the longest match starting at `start`, or nil. Every byte of the form
    /// may be written in several ways (and `%` or `\` may be literal or begin an escape),
    /// so this follows every position a match can have reached: usually just one.
    private func matchEnd(from start: Int, in text: UnsafeBufferPointer<UInt8>, scratch: inout Scratch) -> Int? {
        scratch.states.removeAll(keepingCapacity: true)
        scratch.states.append(start)
        for byte in bytes {
            scratch.next.removeAll(keepingCapacity: true)
            for position in scratch.states {
                forEachWriting(of: byte, at: position, in: text) { end in
                    if !scratch.next.contains(end) { scratch.next.append(end) }
                }
            }
            if scratch.next.isEmpty { return nil }
            swap(&scratch.states, &scratch.next)
        }
        return scratch.states.max()
    }

    /// Calls `body` with the end of each way `byte` is written at `p`: as is, `+` for a
    /// space (forms), `%XX` in either case, or a JSON escape (`\"`, `\\`, `\/`, `\n`, `\u0041`).
    private func forEachWriting(of byte: UInt8, at p: Int, in text: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        guard p < text.count else { return }
        let b = text[p]
        if same(b, byte) || (byte == 0x20 && b == UInt8(ascii: "+")) { body(p + 1) }
        if b == UInt8(ascii: "%"), p + 2 < text.count, let hi = Hex.value(of: text[p + 1]), let lo = Hex.value(of: text[p + 2]),
           same(hi << 4 | lo, byte) {
            body(p + 3)
        }
        guard b == UInt8(ascii: "\\"), p + 1 < text.count else { return }
        let escaped: UInt8?
        switch text[p + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escaped = text[p + 1]
        case UInt8(ascii: "n"): escaped = 0x0A
        case UInt8(ascii: "r"): escaped = 0x0D
        case UInt8(ascii: "t"): escaped = 0x09
        case UInt8(ascii: "b"): escaped = 0x08
        case UInt8(ascii: "f"): escaped = 0x0C
        case UInt8(ascii: "u"):
            if p + 5 < text.count, text[p + 2] == UInt8(ascii: "0"), text[p + 3] == UInt8(ascii: "0"),
               let hi = Hex.value(of: text[p + 4]), let lo = Hex.value(of: text[p + 5]), same(hi << 4 | lo, byte) {
                body(p + 6)
            }
            return
        default: escaped = nil
        }
        if let escaped, same(escaped, byte) { body(p + 2) }
    }

    private func widened(_ range: Range<Int>, in text: UnsafeBufferPointer<UInt8>, alphabet: Base64.Alphabet) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        if sharesFirstCharacter, lower > 0, Self.isBase64Digit(text[lower - 1], alphabet) { lower -= 1 }
        if sharesLastCharacter, upper < text.count, Self.isBase64Digit(text[upper], alphabet) { upper += 1 }
        // Padding, as is or percent-encoded (`%3D`).
        while upper < text.count {
            if text[upper] == UInt8(ascii: "=") {
                upper += 1
            } else if upper + 2 < text.count, text[upper] == UInt8(ascii: "%"), text[upper + 1] == UInt8(ascii: "3"),
                      text[upper + 2] | 0x20 == UInt8(ascii: "d") {
                upper += 3
            } else {
                break
            }
        }
        return lower..<upper
    }

    static func isLetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
    }

    static func isBase64Digit(_ b: UInt8, _ alphabet: Base64.Alphabet) -> Bool {
        if isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) { return true }
        switch alphabet {
        case .standard: return b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
        case .urlSafe: return b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
        }
    }
}
