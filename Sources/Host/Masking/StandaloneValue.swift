/// A secret too short to search for inside text (under `SecretMasker.minimumBytes`):
/// `ab` would hide the `ab` of "about". It is masked only where it stands alone as a
/// value: its exact bytes with, on each side, the start or end of the text, white space,
/// or one of ``" ' = & ? # : , ; / ( ) [ ] { } < >`` (a whole JSON string or number, a
/// header, query or form value, a log argument). Never inside a longer word or number.
struct StandaloneValue: Sendable {
    let bytes: [UInt8]

    func collect(in text: UnsafeBufferPointer<UInt8>, into found: inout [Range<Int>]) {
        let n = bytes.count
        guard n > 0, text.count >= n else { return }
        var i = 0
        while i + n <= text.count {
            if i == 0 || Self.isDelimiter(text[i - 1]),
                i + n == text.count || Self.isDelimiter(text[i + n]),
                bytes.indices.allSatisfy({ text[i + $0] == bytes[$0] })
            {
                found.append(i..<(i + n))
                i += n
            } else {
                i += 1
            }
        }
    }

    static func isDelimiter(_ b: UInt8) -> Bool {
        switch b {
        case 0x09, 0x0A, 0x0D, 0x20: return true
        default: return #""'=&?#:,;/()[]{}<>"#.utf8.contains(b)
        }
    }
}
