#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds, from a position on, the next byte of a text that is one of a few values (a
/// secret form's possible first bytes), with `memchr`. Each value's next position is kept
/// until the search passes it, so a whole scan reads the text at most once per value:
/// linear whatever the text.
struct FirstByteScan {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private let values: [UInt8]
    /// Per value: where it occurs next at or after the last search's start; `count` when
    /// nowhere; -1 before the first search.
    private var found: [Int]

    init(base: UnsafePointer<UInt8>, count: Int, values: [UInt8]) {
        self.base = base
        self.count = count
        self.values = values
        found = Array(repeating: -1, count: values.count)
    }

    /// The first position at or after `start` holding one of the values, if any.
    mutating func next(from start: Int) -> Int? {
        var nearest = count
        for k in values.indices {
            if found[k] < start {
                if let hit = memchr(base + start, Int32(values[k]), count - start) {
                    found[k] = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
                } else {
                    found[k] = count
                }
            }
            nearest = min(nearest, found[k])
        }
        return nearest < count ? nearest : nil
    }
}
