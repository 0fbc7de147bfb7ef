import Crypto

/// The SHA-256 of some bytes as lowercase hex: what the store keeps of a key's token, and
/// of a request body an `Idempotency-Key` came with. Computed on every intake request (the
/// key's lookup), so the hex is written straight into the string's bytes.
enum SHA256Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func of(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        let digest = hasher.finalize()
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { text in
            var at = 0
            for byte in digest {
                text[at] = digits[Int(byte >> 4)]
                text[at + 1] = digits[Int(byte & 0x0f)]
                at += 2
            }
            return at
        }
    }
}
