import Host
import XCTest

/// The cache is bounded per integration: entries, bytes, the longest TTL; the least
/// recently used entry goes first; expired entries are dropped without being read.
final class CacheBoundsTests: XCTestCase {
    /// The call host functions see while a test's chunk runs.
    private var call: HostCall?
    let value = Array(#""v""#.utf8)

    func testTwoThousandEntriesOf65KBInOneCallStayWithinTheByteLimit() throws {
        let store = MemoryCacheStore()
        // Only the cache's bounds are under test: the hook's own limits are set out of the way.
        var limits = LuaLimits()
        limits.cpuSeconds = 120
        limits.instructions = 1_000_000_000
        let vm = try LuaVM(limits: limits, cache: store)
        call = HostCall(now: 1_000, cacheNamespace: "bloat/1")
        _ = try vm.value(
            in: call,
            """
            local v = string.rep("x", 65000)
            for i = 1, 2000 do cache.set("k" .. i, v, 1e9) end
            """)
        let usage = store.usage(of: "bloat")
        XCTAssertLessThanOrEqual(usage.bytes, CacheLimits.default.bytes, "\(usage)")
        XCTAssertGreaterThan(usage.entries, 0)
        // The newest entry is kept, the oldest made room.
        XCTAssertNotNil(store.get(namespace: "bloat/1", key: "k2000", now: 1_000))
        XCTAssertTrue(store.get(namespace: "bloat/1", key: "k1", now: 1_000) == nil)
    }

    func testATTLLongerThanTheMaximumIsClampedTo24Hours() {
        let store = MemoryCacheStore()
        try? store.set(namespace: "crm/1", key: "token", value: value, ttl: 1e9, now: 1_000)
        XCTAssertNotNil(store.get(namespace: "crm/1", key: "token", now: 1_000 + 86_400 - 1))
        XCTAssertTrue(store.get(namespace: "crm/1", key: "token", now: 1_000 + 86_400) == nil)
    }

    func testTheLeastRecentlyUsedEntryIsEvictedWhenTheEntryLimitIsReached() {
        let store = MemoryCacheStore()
        let limit = CacheLimits.default.entries
        for i in 0..<limit { try? store.set(namespace: "crm/1", key: "k\(i)", value: value, ttl: 60, now: 1_000) }
        XCTAssertEqual(store.usage(of: "crm").entries, limit)
        XCTAssertNotNil(store.get(namespace: "crm/1", key: "k0", now: 1_000))  // k0 is now the most recently used
        try? store.set(namespace: "crm/2", key: "new", value: value, ttl: 60, now: 1_000)
        XCTAssertEqual(store.usage(of: "crm").entries, limit)
        XCTAssertNotNil(store.get(namespace: "crm/1", key: "k0", now: 1_000), "read last: kept")
        XCTAssertTrue(store.get(namespace: "crm/1", key: "k1", now: 1_000) == nil, "least recently used: evicted")
        XCTAssertNotNil(store.get(namespace: "crm/1", key: "k2", now: 1_000))
        XCTAssertNotNil(store.get(namespace: "crm/2", key: "new", now: 1_000))
    }

    func testExpiredEntriesAreDroppedWithoutBeingRead() {
        let store = MemoryCacheStore()
        try? store.set(namespace: "crm/1", key: "short", value: value, ttl: 10, now: 1_000)
        try? store.set(namespace: "crm/1", key: "long", value: value, ttl: 3_600, now: 1_000)
        try? store.set(namespace: "other/1", key: "short", value: value, ttl: 10, now: 1_000)
        XCTAssertEqual(store.usage(of: "crm").entries, 2)
        XCTAssertEqual(store.usage(of: "other").entries, 1)
        // Time passes: a write drops what expired, in every integration, though nobody read it.
        try? store.set(namespace: "crm/2", key: "next", value: value, ttl: 60, now: 1_010)
        XCTAssertEqual(store.usage(of: "crm").entries, 2)
        XCTAssertEqual(store.usage(of: "other").entries, 0)
        // A sweep at a given time does the same without any write.
        try? store.set(namespace: "other/1", key: "brief", value: value, ttl: 5, now: 1_010)
        store.purgeExpired(now: 1_015)
        XCTAssertEqual(store.usage(of: "other").entries, 0)
        XCTAssertEqual(store.usage(of: "crm").entries, 2)
    }

    func testEvictionFollowsRecencyOfReadsAndWritesUnderConfiguredLimits() throws {
        var limits = CacheLimits()
        limits.entries = 3
        let store = MemoryCacheStore(limits: limits)
        func has(_ key: String) -> Bool { store.get(namespace: "crm/1", key: key, now: 1_000) != nil }
        for key in ["a", "b", "c"] { try store.set(namespace: "crm/1", key: key, value: value, ttl: 60, now: 1_000) }
        XCTAssertTrue(has("a"))  // a is now more recent than b and c
        try store.set(namespace: "crm/1", key: "d", value: value, ttl: 60, now: 1_000)
        XCTAssertFalse(has("b"), "b was the least recently used")
        // From the most recent: d, a, c. Rewriting c makes it the most recent: c, d, a.
        try store.set(namespace: "crm/1", key: "c", value: value, ttl: 60, now: 1_000)
        try store.set(namespace: "crm/1", key: "e", value: value, ttl: 60, now: 1_000)
        XCTAssertEqual(["a", "c", "d", "e"].filter(has), ["c", "d", "e"], "a was the least recently used")
        XCTAssertEqual(store.usage(of: "crm").entries, 3)
    }

    func testTheByteLimitEvictsAndAValueBiggerThanItIsRefused() throws {
        var limits = CacheLimits()
        limits.bytes = 1_000
        let store = MemoryCacheStore(limits: limits)
        let big = [UInt8](repeating: 0x61, count: 400)
        for i in 0..<10 { try store.set(namespace: "crm/1", key: "k\(i)", value: big, ttl: 60, now: 1_000) }
        let usage = store.usage(of: "crm")
        XCTAssertLessThanOrEqual(usage.bytes, 1_000, "\(usage)")
        XCTAssertEqual(usage.entries, 2)
        XCTAssertThrowsError(
            try store.set(namespace: "crm/1", key: "huge", value: [UInt8](repeating: 0x61, count: 1_000), ttl: 60, now: 1_000)
        ) { error in
            XCTAssertTrue("\(error)".contains("more than the 1000 bytes"), "\(error)")
        }
        XCTAssertEqual(store.usage(of: "crm").entries, 2, "a refused value evicts nothing")

        let vm = try LuaVM(cache: store)
        call = HostCall(now: 1_000, cacheNamespace: "crm/1")
        guard case .failure(let error) = vm.evaluate(in: call, "cache.set('huge', string.rep('x', 2000), 60)") else {
            return XCTFail("stored")
        }
        XCTAssertTrue(error.message.contains("cache.set: value for 'huge' cannot be stored: the value needs"), error.message)
    }

    func testIntegrationsAreBoundedSeparatelyAndRewritesAreNotCountedTwice() throws {
        var limits = CacheLimits()
        limits.entries = 2
        let store = MemoryCacheStore(limits: limits)
        try store.set(namespace: "other/9", key: "keep", value: value, ttl: 60, now: 1_000)
        for i in 0..<50 { try store.set(namespace: "crm/\(i % 3)", key: "k", value: value, ttl: 60, now: 1_000) }
        XCTAssertEqual(store.usage(of: "crm").entries, 2)
        XCTAssertNotNil(store.get(namespace: "other/9", key: "keep", now: 1_000), "another integration's entries stay")
        for _ in 0..<1_000 { try store.set(namespace: "other/9", key: "keep", value: value, ttl: 60, now: 1_000) }
        XCTAssertEqual(
            store.usage(of: "other"),
            CacheUsage(entries: 1, bytes: "other/9\u{0}keep".utf8.count + value.count + CacheLimits.entryOverheadBytes))
    }
}
