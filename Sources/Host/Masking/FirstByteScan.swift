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
    /// Per value (at most two: a byte and its other case, or `+` and a space): where it
    /// occurs next at or after the last search's start; `count` when nowhere; -1 before the
    /// first search. Kept inline: a scan is made per form per text masked, and an array
    /// here was one allocation each.
    private var found = (-1, -1)

    init(base: UnsafePointer<UInt8>, count: Int, values: [UInt8]) {
        precondition(values.count <= 2, "a form starts with at most two bytes")
        self.base = base
        self.count = count
        self.values = values
    }

    /// The first position at or after `start` holding one of the values, if any.
    mutating func next(from start: Int) -> Int? {
        var nearest = count
        if !values.isEmpty {
            if found.0 < start { found.0 = position(of: values[0], from: start) }
            nearest = min(nearest, found.0)
        }
        if values.count > 1 {
            if found.1 < start { found.1 = position(of: values[1], from: start) }
            nearest = min(nearest, found.1)
        }
        return nearest < count ? nearest : nil
    }

    private func position(of value: UInt8, from start: Int) -> Int {
        guard let hit = memchr(base + start, Int32(value), count - start) else { return count }
        return UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
    }
}
