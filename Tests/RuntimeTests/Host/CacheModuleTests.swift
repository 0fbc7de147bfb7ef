import Host
import XCTest

/// `cache`: JSON values in the VM's store, scoped by namespace, expiring on the call's clock.
final class CacheModuleTests: XCTestCase {
    /// The call host functions see while a test's chunk runs.
    private var call: HostCall?
    var vm: LuaVM!
    var store: MemoryCacheStore!

    override func setUpWithError() throws {
        store = MemoryCacheStore()
        vm = try LuaVM(cache: store)
        call = HostCall(now: 1_000, cacheNamespace: "clixnow/offer-1")
    }

    private func failure(_ code: String) -> String {
        guard case .failure(let e) = vm.evaluate(in: call, code) else { return "no error" }
        return e.message
    }

    func testSetThenGetReturnsTheValue() throws {
        _ = try vm.value(in: call, "cache.set('token', { value = 'abc', n = 3, list = { 1, 2 } }, 60)")
        XCTAssertEqual(try vm.value(in: call, "local t = cache.get('token'); return t.value .. t.n .. t.list[2]"), "abc32")
        _ = try vm.value(in: call, "cache.set('n', 42, 60); cache.set('s', 'text', 60); cache.set('b', false, 60)")
        XCTAssertEqual(
            try vm.value(in: call, "return math.type(cache.get('n')) .. cache.get('s') .. tostring(cache.get('b'))"), "integertextfalse")
        XCTAssertEqual(try vm.value(in: call, "return cache.get('missing')"), nil)
    }

    func testStoredAsJSONUnderTheCallsNamespace() throws {
        _ = try vm.value(in: call, "cache.set('token', { value = 'abc' }, 60)")
        let raw = try XCTUnwrap(store.get(namespace: "clixnow/offer-1", key: "token", now: 1_000))
        XCTAssertEqual(String(decoding: raw, as: UTF8.self), #"{"value":"abc"}"#)
        XCTAssertNil(store.get(namespace: "clixnow/offer-2", key: "token", now: 1_000))
    }

    func testNamespacesAreIsolated() throws {
        _ = try vm.value(in: call, "cache.set('token', 'one', 60)")
        call = HostCall(now: 1_000, cacheNamespace: "clixnow/offer-2")
        XCTAssertEqual(try vm.value(in: call, "return cache.get('token')"), nil)
        _ = try vm.value(in: call, "cache.set('token', 'two', 60)")
        call = HostCall(now: 1_000, cacheNamespace: "clixnow/offer-1")
        XCTAssertEqual(try vm.value(in: call, "return cache.get('token')"), "one")
    }

    func testExpiresOnTheCallsClock() throws {
        _ = try vm.value(in: call, "cache.set('token', 'abc', 60)")
        call = HostCall(now: 1_059, cacheNamespace: "clixnow/offer-1")
        XCTAssertEqual(try vm.value(in: call, "return cache.get('token')"), "abc")
        call = HostCall(now: 1_060, cacheNamespace: "clixnow/offer-1")
        XCTAssertEqual(try vm.value(in: call, "return cache.get('token')"), nil)
    }

    func testNilValueAndDeleteRemove() throws {
        _ = try vm.value(in: call, "cache.set('a', 1, 60); cache.set('b', 2, 60)")
        _ = try vm.value(in: call, "cache.set('a', nil)")
        _ = try vm.value(in: call, "cache.delete('b')")
        XCTAssertEqual(try vm.value(in: call, "return tostring(cache.get('a')) .. tostring(cache.get('b'))"), "nilnil")
        XCTAssertEqual(try vm.value(in: call, "cache.delete('never-set'); return 'ok'"), "ok")
    }

    func testKeyRules() {
        XCTAssertTrue(failure("cache.get('')").contains("cache.get: key must not be empty"))
        XCTAssertTrue(failure("cache.set(string.rep('k', 257), 1, 60)").contains("cache.set: key is 257 bytes, more than the 256 allowed"))
        XCTAssertTrue(failure("cache.delete(7)").contains("cache.delete: expected a string key, got number"))
        XCTAssertEqual(try vm.value(in: call, "cache.set(string.rep('k', 256), 1, 60); return cache.get(string.rep('k', 256))"), "1")
    }

    func testTTLRules() {
        for bad in ["0", "-5", "nil", "'60'", "1/0"] {
            let message = failure("cache.set('k', 1, \(bad))")
            XCTAssertTrue(message.contains("cache.set: ttl must be a number of seconds > 0"), "\(bad): \(message)")
        }
        XCTAssertEqual(try vm.value(in: call, "cache.set('k', 1, 0.5); return cache.get('k')"), "1")
    }

    func testValueRules() {
        XCTAssertTrue(failure("cache.set('k', print, 60)").contains("cache.set: value for 'k' cannot be stored as JSON"))
        let big = failure("cache.set('k', string.rep('v', 65536), 60)")
        XCTAssertTrue(big.contains("cache.set: value for 'k' is more than the 65536 bytes allowed as JSON"), big)
        XCTAssertEqual(try vm.value(in: call, "cache.set('k', string.rep('v', 65534), 60); return #cache.get('k')"), "65534")
    }

    func testRaisesOutsideACall() {
        call = nil
        XCTAssertTrue(failure("cache.get('k')").contains("cache.get: only available while a hook runs"))
        XCTAssertTrue(failure("cache.set('k', 1, 60)").contains("cache.set: only available while a hook runs"))
    }
}
