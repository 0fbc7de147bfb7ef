extension SecretForm {
    /// Appends the ranges of `text` where this form occurs in `bytes`: the text itself, or
    /// its decoded form with the start in `text` of each decoded byte (`DecodedText`).
    /// Base64 forms are widened to the characters they share with their neighbours and to
    /// any `=` padding after them. Linear in the text's length whatever the form (Knuth-
    /// Morris-Pratt), so no text can make masking slow.
    func collect(in bytes: UnsafeBufferPointer<UInt8>, starts: [UInt32]?, text: UnsafeBufferPointer<UInt8>, into found: inout [Range<Int>])
    {
        let pattern = folded
        guard !pattern.isEmpty, bytes.count >= pattern.count, let base = bytes.baseAddress else { return }
        var candidates = FirstByteScan(base: base, count: bytes.count, values: firstBytes)
        var matched = 0
        var i = 0
        while i < bytes.count {
            // No partial match: jump to the next byte a match can start with (memchr, far
            // faster than stepping; most texts hold no secret at all).
            if matched == 0 {
                guard let next = candidates.next(from: i) else { return }
                i = next
            }
            defer { i += 1 }
            let c = fold(bytes[i])
            while matched > 0 && c != pattern[matched] { matched = fallback[matched - 1] }
            if c == pattern[matched] { matched += 1 }
            guard matched == pattern.count else { continue }
            let start = i + 1 - pattern.count
            var range = starts.map { Int($0[start])..<Int($0[i + 1]) } ?? start..<(i + 1)
            if let alphabet = base64 { range = widened(range, in: text, alphabet: alphabet) }
            found.append(range)
            matched = fallback[matched - 1]
        }
    }

    /// How a byte compares: ASCII letters in one case when the form folds case; a space
    /// as `+` (form encoding writes one for the other).
    func fold(_ b: UInt8) -> UInt8 {
        if b == 0x20 { return UInt8(ascii: "+") }
        return foldsCase && Self.isLetter(b) ? b | 0x20 : b
    }

    /// Knuth-Morris-Pratt: for each prefix of `pattern`, the length of its longest proper
    /// prefix that is also its suffix.
    static func fallbacks(of pattern: [UInt8]) -> [Int] {
        var table = [Int](repeating: 0, count: pattern.count)
        var length = 0
        for i in pattern.indices.dropFirst() {
            while length > 0 && pattern[i] != pattern[length] { length = table[length - 1] }
            if pattern[i] == pattern[length] { length += 1 }
            table[i] = length
        }
        return table
    }

    private func widened(_ range: Range<Int>, in text: UnsafeBufferPointer<UInt8>, alphabet: Base64.Alphabet) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        if sharesFirstCharacter, lower > 0, Self.isBase64Digit(text[lower - 1], alphabet) { lower -= 1 }
        if sharesLastCharacter, upper < text.count, Self.isBase64Digit(text[upper], alphabet) { upper += 1 }
        // Padding, as is or percent-encoded (`%3D`).
        while upper < text.count {
            if text[upper] == UInt8(ascii: "=") {
                upper += 1
            } else if upper + 2 < text.count, text[upper] == UInt8(ascii: "%"), text[upper + 1] == UInt8(ascii: "3"),
                text[upper + 2] | 0x20 == UInt8(ascii: "d")
            {
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
