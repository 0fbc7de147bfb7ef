/// One form in which a secret can appear in text: the secret itself, its hex digits, or
/// the base64 characters that only its bytes determine at one alignment. Each is searched
/// in the text as it is and decoded (see `DecodedText`), so any of its bytes may also be
/// written percent-encoded or JSON-escaped.
struct SecretForm: Sendable {
    /// ASCII letters match in either case (the secret itself, hex); base64 is exact.
    let foldsCase: Bool
    /// For a base64 form: the alphabet of the run around it, and whether the characters
    /// just before and after also carry bits of the secret (mixed with its neighbours').
    let base64: Base64.Alphabet?
    let sharesFirstCharacter: Bool
    let sharesLastCharacter: Bool
    /// The bytes to find, as `fold` gives them, and their Knuth-Morris-Pratt table.
    private(set) var folded: [UInt8] = []
    private(set) var fallback: [Int] = []

    init(
        bytes: [UInt8], foldsCase: Bool, base64: Base64.Alphabet? = nil, sharesFirstCharacter: Bool = false,
        sharesLastCharacter: Bool = false
    ) {
        self.foldsCase = foldsCase
        self.base64 = base64
        self.sharesFirstCharacter = sharesFirstCharacter
        self.sharesLastCharacter = sharesLastCharacter
        folded = bytes.map(fold)
        fallback = Self.fallbacks(of: folded)
        firstBytes = folded.first.map { Self.unfolded($0, foldsCase: foldsCase) } ?? []
    }

    /// The bytes a match can start with: those `fold` turns into the pattern's first byte.
    private(set) var firstBytes: [UInt8] = []

    /// Every byte `fold` turns into `b`.
    static func unfolded(_ b: UInt8, foldsCase: Bool) -> [UInt8] {
        var bytes: [UInt8] = [b]
        if b == UInt8(ascii: "+") { bytes.append(0x20) }
        if foldsCase && isLetter(b) { bytes.append(b & ~0x20) }
        return bytes
    }

    /// Every form of `secret` worth searching for.
    static func forms(of secret: [UInt8]) -> [SecretForm] {
        var forms = [SecretForm(bytes: secret, foldsCase: true), SecretForm(bytes: Hex.encode(secret), foldsCase: true)]
        for alphabet in [Base64.Alphabet.standard, .urlSafe] {
            for leading in 0..<3 {
                let form = base64Core(of: secret, after: leading, alphabet: alphabet)
                if !forms.contains(where: { $0.folded == form.folded && $0.foldsCase == form.foldsCase }) { forms.append(form) }
            }
        }
        return forms
    }

    /// The base64 characters that depend on `secret`'s bytes alone when it follows
    /// `leading` bytes (0, 1 or 2) of a 3-byte group, wherever the run started.
    static func base64Core(of secret: [UInt8], after leading: Int, alphabet: Base64.Alphabet) -> SecretForm {
        let shifted = [UInt8](repeating: 0, count: leading) + secret
        let encoded = shifted.withUnsafeBytes { Base64.encode($0, alphabet: alphabet) }
        // Character i holds bits 6i..<6i+6; the secret holds bits startBit..<endBit.
        let startBit = 8 * leading
        let endBit = 8 * shifted.count
        let first = (startBit + 5) / 6
        let end = endBit / 6
        return SecretForm(
            bytes: Array(encoded[first..<end]), foldsCase: false, base64: alphabet,
            sharesFirstCharacter: startBit % 6 != 0, sharesLastCharacter: endBit % 6 != 0)
    }
}
