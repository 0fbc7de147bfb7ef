/// A random (version 4) UUID in lowercase text, for the ids made on every intake request
/// (the lead's, the request's). Foundation's `UUID()` on Linux opens `/dev/urandom` for
/// each one (2.5 % of the server's CPU under `make bench-intake`); this draws the bytes from
/// `SystemRandomNumberGenerator` (the `getrandom` system call) and writes the text directly.
enum RandomID {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, `y` one of 8, 9, a, b (RFC 9562, version 4).
    static func uuid() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0f) | 0x40
            raw[8] = (raw[8] & 0x3f) | 0x80
            return String(unsafeUninitializedCapacity: 36) { text in
                var at = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = digits[Int(raw[index] >> 4)]
                    text[at + 1] = digits[Int(raw[index] & 0x0f)]
                    at += 2
                }
                return at
            }
        }
    }
}
