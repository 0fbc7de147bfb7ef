import Host
import XCTest

/// `credentials` (**Extension**): durable secret strings per integration and offer, read and
/// written through the call's `CredentialStore`, masked as secrets of the call, with
/// compare-and-set for tokens that rotate.
final class CredentialsModuleTests: XCTestCase {
    var vm: LuaVM!
    var call: HostCall!
    var store: MemoryCredentialStore!

    override func setUpWithError() throws {
        vm = try LuaVM()
        store = MemoryCredentialStore()
        call = HostCall(now: 1_795_168_800, cacheNamespace: "amocrm/7")
        call.credentials = store
    }

    func testSetThenGetRoundTripsInTheCallsScope() throws {
        XCTAssertEqual(try vm.value(in: call, "return credentials.set('refresh_token', 'rt-1')"), "true")
        XCTAssertEqual(try vm.value(in: call, "return credentials.get('refresh_token')"), "rt-1")
        XCTAssertEqual(store.values(in: "amocrm/7"), ["refresh_token": "rt-1"])
        XCTAssertEqual(store.values(in: "amocrm/8"), [:])
        XCTAssertNil(try vm.value(in: call, "return credentials.get('other')"))
    }

    func testAnotherOfferDoesNotSeeTheValue() throws {
        _ = try vm.value(in: call, "credentials.set('refresh_token', 'rt-1')")
        let other = HostCall(now: 1_795_168_800, cacheNamespace: "amocrm/8")
        other.credentials = store
        XCTAssertNil(try vm.value(in: other, "return credentials.get('refresh_token')"))
    }

    func testCompareAndSetWritesOnlyOverTheExpectedValue() throws {
        _ = try vm.value(in: call, "credentials.set('refresh_token', 'rt-1')")
        // Another call rotated rt-1 to rt-2 first: this call's write, expecting rt-1, loses.
        XCTAssertEqual(try store.setCredential("refresh_token", to: "rt-2", in: "amocrm/7", ifCurrent: .value("rt-1")), true)
        XCTAssertEqual(try vm.value(in: call, "return credentials.set('refresh_token', 'rt-3', { expect = 'rt-1' })"), "false")
        XCTAssertEqual(store.values(in: "amocrm/7")["refresh_token"], "rt-2")
        XCTAssertEqual(try vm.value(in: call, "return credentials.set('refresh_token', 'rt-3', { expect = 'rt-2' })"), "true")
        XCTAssertEqual(store.values(in: "amocrm/7")["refresh_token"], "rt-3")
    }

    func testExpectFalseWritesOnlyWhenNothingIsStored() throws {
        XCTAssertEqual(try vm.value(in: call, "return credentials.set('k', 'first', { expect = false })"), "true")
        XCTAssertEqual(try vm.value(in: call, "return credentials.set('k', 'second', { expect = false })"), "false")
        XCTAssertEqual(store.values(in: "amocrm/7")["k"], "first")
    }

    func testDeleteRemovesAndHonoursExpect() throws {
        _ = try vm.value(in: call, "credentials.set('k', 'v1')")
        XCTAssertEqual(try vm.value(in: call, "return credentials.delete('k', { expect = 'other' })"), "false")
        XCTAssertEqual(store.values(in: "amocrm/7")["k"], "v1")
        XCTAssertEqual(try vm.value(in: call, "return credentials.delete('k')"), "true")
        XCTAssertEqual(store.values(in: "amocrm/7"), [:])
    }

    func testValuesReadOrWrittenAreMaskedInTheCallsLogs() throws {
        XCTAssertTrue(try store.setCredential("refresh_token", to: "stored-refresh-77", in: "amocrm/7", ifCurrent: .anything))
        _ = try vm.value(
            in: call,
            """
            local old = credentials.get('refresh_token')
            credentials.set('refresh_token', 'rotated-refresh-88')
            log.info('used', old, 'saved', 'rotated-refresh-88')
            """)
        XCTAssertEqual(call.logs.map(\.message), ["used *** saved ***"])
        XCTAssertEqual(call.mask("stored-refresh-77 rotated-refresh-88"), "*** ***")
    }

    func testBadArgumentsRaiseNamingTheFunctionAndKey() {
        let cases: [(String, String)] = [
            ("credentials.set('k', 42)", "credentials.set: 'k': the value must be a string, got number"),
            ("credentials.set('k', 'v', { expected = 'x' })", "credentials.set: 'k': unknown option 'expected' (known: expect)"),
            ("credentials.set('k', 'v', { expect = 1 })", "credentials.set: 'k': expect must be the value last read"),
            ("credentials.set('k', 'v', 'x')", "credentials.set: 'k': the options must be a table"),
            ("credentials.set('k', string.rep('x', 4097))", "credentials.set: 'k': the value is 4097 bytes, more than the 4096 allowed"),
            ("credentials.get('')", "credentials.get: key must not be empty"),
            ("credentials.get({})", "credentials.get: expected a string key, got table"),
            ("credentials.delete(string.rep('k', 257))", "credentials.delete: key is 257 bytes, more than the 256 allowed"),
        ]
        for (code, expected) in cases {
            guard case .failure(let error) = vm.evaluate(in: call, code) else { XCTFail("\(code) did not raise"); continue }
            XCTAssertTrue(error.message.contains(expected), "\(code): \(error.message)")
        }
    }

    func testAFullScopeRaises() throws {
        for i in 0..<CredentialLimits.entriesPerScope {
            XCTAssertEqual(try vm.value(in: call, "return credentials.set('k\(i)', 'v')"), "true")
        }
        guard case .failure(let error) = vm.evaluate(in: call, "credentials.set('one-more', 'v')") else {
            return XCTFail("a 33rd key was stored")
        }
        XCTAssertTrue(error.message.contains("amocrm/7: cannot add 'one-more': a scope holds at most 32 credentials"), error.message)
        XCTAssertEqual(try vm.value(in: call, "return credentials.set('k0', 'replaced')"), "true")
    }

    func testOutsideAHookOrWithoutAStoreItRaises() {
        guard case .failure(let outside) = vm.evaluate("credentials.get('k')") else { return XCTFail("no call, yet it answered") }
        XCTAssertTrue(outside.message.contains("credentials.get: only available while a hook runs"), outside.message)
        call.credentials = nil
        guard case .failure(let none) = vm.evaluate(in: call, "credentials.set('k', 'v')") else {
            return XCTFail("no store, yet it stored")
        }
        XCTAssertTrue(none.message.contains("credentials.set: this call was given no credential store"), none.message)
    }
}
