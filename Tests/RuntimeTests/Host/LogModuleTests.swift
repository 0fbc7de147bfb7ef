import CLua
import Host
import Synchronization
import XCTest

/// `log`: rendering of values, masking, the sink, and the per-call bounds.
final class LogModuleTests: XCTestCase {
    var vm: LuaVM!
    var call: HostCall!

    override func setUpWithError() throws {
        vm = try LuaVM()
        call = HostCall(now: 1_795_168_800, secrets: ["s3cret-token-value!"])
    }

    private var messages: [String] { call.logs.map(\.message) }

    func testValuesAreJoinedBySpaces() throws {
        // json.null, set as a global from Swift so the test does not depend on the json module.
        let s = LuaState(vm.L)
        lua_rawgeti(vm.L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        s.pushNull()
        s.setRawField(-2, "NULL")
        s.pop()
        _ = try vm.value(in: call, "log.info('lead', 42, 2.5, 3.0, 1e100, true, false, nil, NULL, print)")
        XCTAssertEqual(messages, ["lead 42 2.5 3.0 1e+100 true false nil null function"])
    }

    func testTablesAreWrittenAsJSON() throws {
        _ = try vm.value(in: call, "log.warn('body', { status = 'ok', id = 7 })")
        _ = try vm.value(in: call, "log.warn({ f = print })")
        XCTAssertEqual(messages, [#"body {"id":7,"status":"ok"}"#, "table"])
    }

    func testLevelsAndPrint() throws {
        _ = try vm.value(in: call, "log.debug('d'); log.info('i'); log.warn('w'); log.error('e'); print('p', 1)")
        XCTAssertEqual(
            call.logs,
            [
                LogRecord(level: .debug, message: "d"), LogRecord(level: .info, message: "i"),
                LogRecord(level: .warn, message: "w"), LogRecord(level: .error, message: "e"),
                LogRecord(level: .info, message: "p 1"),
            ])
        _ = try vm.value(in: call, "log.info()")
        XCTAssertEqual(messages.last, "")
    }

    func testSecretsAreMasked() throws {
        _ = try vm.value(in: call, "log.info('token=s3cret-token-value!', { key = 's3cret-token-value!' })")
        XCTAssertEqual(messages, [#"token=*** {"key":"***"}"#])
    }

    func testSinkReceivesMaskedRecords() throws {
        let received = Mutex<[LogRecord]>([])
        call.logSink = { record in received.withLock { $0.append(record) } }
        _ = try vm.value(in: call, "log.error('failed with', 's3cret-token-value!')")
        XCTAssertEqual(received.withLock { $0 }, [LogRecord(level: .error, message: "failed with ***")])
    }

    func testWithoutACallLinesAreDropped() throws {
        XCTAssertEqual(try vm.value(in: nil, "log.info('nobody listens'); return 'ran'"), "ran")
        XCTAssertTrue(call.logs.isEmpty)
    }

    func testAtMost200LinesPerCall() throws {
        _ = try vm.value(in: call, "for i = 1, 250 do log.info('line', i) end")
        XCTAssertEqual(call.logs.count, LogModule.maxLines + 1)
        XCTAssertEqual(call.logs[199].message, "line 200")
        XCTAssertEqual(call.logs.last, LogRecord(level: .warn, message: "log limit reached (200 lines per call); further lines dropped"))
    }

    func testLongLinesAreTrimmed() throws {
        _ = try vm.value(in: call, "log.info(string.rep('x', 100000))")
        _ = try vm.value(in: call, "log.info(string.rep('é', 5000))")
        _ = try vm.value(in: call, "log.info(string.rep('y', 8192))")
        XCTAssertEqual(messages[0].utf8.count, LogModule.maxLineBytes)
        XCTAssertTrue(messages[0].hasSuffix("x…(trimmed)"))
        XCTAssertLessThanOrEqual(messages[1].utf8.count, LogModule.maxLineBytes)
        XCTAssertTrue(messages[1].hasSuffix("é…(trimmed)"))
        XCTAssertFalse(messages[1].contains("\u{FFFD}"))
        XCTAssertEqual(messages[2].utf8.count, 8192)
        XCTAssertFalse(messages[2].contains("trimmed"))
    }

    func testMaskingHappensBeforeTrimming() throws {
        // The secret straddles the cut: trimming first would leave half of it visible.
        _ = try vm.value(in: call, "log.info(string.rep('x', 8170) .. 's3cret-token-value!' .. string.rep('y', 300))")
        XCTAssertFalse(messages[0].contains("s3cret"))
        XCTAssertTrue(messages[0].hasSuffix("x***yyyyyyy…(trimmed)"), String(messages[0].suffix(30)))
    }
}
