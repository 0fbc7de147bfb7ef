/// UTF-8 well-formedness (Unicode, table 3-7): no overlong forms, no surrogates, nothing
/// above U+10FFFF.
@usableFromInline enum UTF8Validation {
    /// The length of the well-formed sequence starting at `p` (whose first byte is
    /// >= 0x80), or 0 when it is ill-formed or cut off.
    @inlinable @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        let b0 = p[0]
        @inline(__always) func cont(_ i: Int) -> Bool { p[i] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return available >= 2 && cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard available >= 3 else { return 0 }
            let b1 = p[1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            return b1 >= low && b1 <= high && cont(2) ? 3 : 0
        case 0xF0...0xF4:
            guard available >= 4 else { return 0 }
            let b1 = p[1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            return b1 >= low && b1 <= high && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }

}
