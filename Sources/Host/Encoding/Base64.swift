/// Base64 of RFC 4648: the standard alphabet (section 4, padded) and the URL-safe one
/// (section 5, unpadded, as JWTs use).
enum Base64 {
    enum Alphabet {
        case standard, urlSafe
    }

    /// Why a decode failed; positions are 1-based byte offsets into the input.
    enum DecodeError: Error, Equatable {
        case invalidCharacter(position: Int)
        case invalidLength(Int)
    }

    private static let standardDigits: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafeDigits: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let invalid: UInt8 = 0xFF
    private static let pad = UInt8(ascii: "=")

    /// Value of each byte in the standard alphabet, `invalid` for the others.
    private static let standardValues: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, digit) in standardDigits.enumerated() { table[Int(digit)] = UInt8(value) }
        return table
    }()

    static func encode(_ input: UnsafeRawBufferPointer, alphabet: Alphabet = .standard) -> [UInt8] {
        let digits = alphabet == .standard ? standardDigits : urlSafeDigits
        let padded = alphabet == .standard
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(digits[Int(n >> 18 & 63)])
            out.append(digits[Int(n >> 12 & 63)])
            out.append(digits[Int(n >> 6 & 63)])
            out.append(digits[Int(n & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest > 0 {
            let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            out.append(digits[Int(n >> 18 & 63)])
            out.append(digits[Int(n >> 12 & 63)])
            if rest == 2 { out.append(digits[Int(n >> 6 & 63)]) } else if padded { out.append(pad) }
            if padded { out.append(pad) }
        }
        return out
    }

    /// Decodes padded standard-alphabet Base64. Strict: no whitespace, no URL-safe
    /// digits, the length a multiple of 4, `=` only as the last one or two characters.
    static func decode(_ input: UnsafeRawBufferPointer) -> Result<[UInt8], DecodeError> {
        guard input.count % 4 == 0 else { return .failure(.invalidLength(input.count)) }
        var out = [UInt8]()
        out.reserveCapacity(input.count / 4 * 3)
        var i = 0
        while i < input.count {
            let isLast = i + 4 == input.count
            var quad: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
            var padding = 0
            for k in 0..<4 {
                let byte = input[i + k]
                let value = standardValues[Int(byte)]
                if value != invalid {
                    // A digit after padding ("Zg=g") is as wrong as padding in the middle.
                    if padding > 0 { return .failure(.invalidCharacter(position: i + k + 1)) }
                    switch k {
                    case 0: quad.0 = UInt32(value)
                    case 1: quad.1 = UInt32(value)
                    case 2: quad.2 = UInt32(value)
                    default: quad.3 = UInt32(value)
                    }
                } else if byte == pad && isLast && k >= 2 {
                    padding += 1
                } else {
                    return .failure(.invalidCharacter(position: i + k + 1))
                }
            }
            let n = quad.0 << 18 | quad.1 << 12 | quad.2 << 6 | quad.3
            out.append(UInt8(n >> 16 & 0xFF))
            if padding < 2 { out.append(UInt8(n >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(n & 0xFF)) }
            i += 4
        }
        return .success(out)
    }
}
