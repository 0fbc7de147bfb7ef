/// A growable byte buffer for the JSON writers: plain pointer writes, no copy-on-write or
/// uniqueness checks per byte. It may start in memory the caller owns (a stack buffer)
/// and moves to the heap only when that is full.
@_spi(LuaCodecs) public struct JSONBuffer: ~Copyable {
    @_spi(LuaCodecs) public var base: UnsafeMutablePointer<UInt8>
    @_spi(LuaCodecs) public var count = 0
    @usableFromInline var capacity: Int
    @usableFromInline var ownsBase: Bool

    /// A heap buffer of `capacity` bytes.
    @_spi(LuaCodecs) public init(capacity: Int) {
        self.base = .allocate(capacity: max(capacity, 16))
        self.capacity = max(capacity, 16)
        self.ownsBase = true
    }

    /// A buffer that starts in `storage` (not owned, must outlive the buffer's use).
    @_spi(LuaCodecs) public init(storage: UnsafeMutableBufferPointer<UInt8>) {
        self.base = storage.baseAddress!
        self.capacity = storage.count
        self.ownsBase = false
    }

    deinit { if ownsBase { base.deallocate() } }

    @_spi(LuaCodecs) public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    @inlinable @inline(__always)
    @_spi(LuaCodecs) public mutating func append(_ byte: UInt8) {
        if count == capacity { grow(1) }
        base[count] = byte
        count += 1
    }

    @inlinable @inline(__always)
    @_spi(LuaCodecs) public mutating func append(_ p: UnsafePointer<UInt8>, count n: Int) {
        if count + n > capacity { grow(n) }
        (base + count).update(from: p, count: n)
        count += n
    }

    @inlinable @inline(__always)
    @_spi(LuaCodecs) public mutating func append(_ literal: StaticString) {
        append(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    @_spi(LuaCodecs) public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0.baseAddress!, count: $0.count) }
    }

    @_spi(LuaCodecs) public mutating func removeAll() { count = 0 }

    @usableFromInline
    mutating func grow(_ n: Int) {
        let newCapacity = max(capacity * 2, count + n)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        if ownsBase { base.deallocate() }
        base = grown
        capacity = newCapacity
        ownsBase = true
    }
}
