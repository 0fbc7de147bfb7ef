/// Eight bytes at a time: whether any of them is a quote, a backslash, a control
/// character or a non-ASCII byte (the bytes JSON strings treat specially).
@usableFromInline enum JSONSpecialBytes {
    @inlinable @inline(__always)
    static func any(in word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let control = (word &- 0x2020_2020_2020_2020) & ~word & highs
        return word & highs != 0 || control != 0
            || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }
}
