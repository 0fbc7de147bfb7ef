import Host
import XCTest

/// Once a limit is hit, none of the script's Lua runs in that call: not a message handler,
/// not a `__close`, not the code after a failed `coroutine.resume` (issue 9, point 1a).
///
/// Each case sets a global "probe" in code that must never run, then checks after the call
/// that the probe is still nil: so the test fails on a hole without measuring time.
final class LimitEscapeTests: XCTestCase {
    /// A VM with a small instruction budget, so each limit bites within milliseconds.
    func makeVM(instructions: Int64 = 200_000, cpuSeconds: Double = 30) throws -> LuaVM {
        try LuaVM(limits: .budget(instructions: instructions, cpuSeconds: cpuSeconds))
    }

    /// Runs `code`, expects it to end with `limit`, then reads the global `probe`.
    func assertLimitAndNoProbe(
        _ code: String, limit: String = "instruction limit", vm: LuaVM? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let vm = try vm ?? makeVM()
        switch vm.evaluate(code) {
        case .success(let value):
            XCTFail("the call ended normally (\(value ?? "nil")) instead of with the \(limit)", file: file, line: line)
        case .failure(let error):
            XCTAssertTrue(error.message.contains(limit), "\(error.message)", file: file, line: line)
        }
        XCTAssertEqual(try vm.value("return tostring(probe)"), "nil", "script code ran after the limit was hit", file: file, line: line)
        XCTAssertEqual(try vm.value("return 6 * 7"), "42", "the VM did not serve the next call", file: file, line: line)
    }

    func testMessageHandlerDoesNotRunAfterTheInstructionLimit() throws {
        try assertLimitAndNoProbe(
            """
            return xpcall(function() while true do end end, function(e) probe = 'handler ran' return e end)
            """)
    }

    func testBusyMessageHandlerCannotBurnPastTheLimit() throws {
        try assertLimitAndNoProbe(
            """
            return xpcall(function() while true do end end, function(e) for i = 1, 3e8 do probe = i end return e end)
            """)
    }

    func testEndlessMessageHandlerEndsWithTheLimit() throws {
        try assertLimitAndNoProbe(
            """
            return xpcall(function() while true do end end, function(e) while true do end end)
            """)
    }

    func testMessageHandlerDoesNotRunAfterTheTimeLimit() throws {
        let vm = try makeVM(instructions: 0, cpuSeconds: 0.05)
        try assertLimitAndNoProbe(
            """
            return xpcall(function() local x = 0 while true do x = x + 1 end end, function(e) probe = 'handler ran' return e end)
            """, limit: "time limit", vm: vm)
    }

    func testHandlerOfAnOrdinaryErrorIsItselfLimited() throws {
        try assertLimitAndNoProbe(
            """
            return xpcall(function() error('boom') end, function(e) while true do end end)
            """)
    }

    func testCloseOfALimitedCoroutineDoesNotRun() throws {
        try assertLimitAndNoProbe(
            """
            local co = coroutine.create(function()
              local guard <close> = setmetatable({}, { __close = function() probe = 'close ran' end })
              while true do end
            end)
            coroutine.resume(co)
            coroutine.close(co)
            """)
    }

    func testWrappedCoroutineDoesNotRunItsCloseAfterTheLimit() throws {
        try assertLimitAndNoProbe(
            """
            local f = coroutine.wrap(function()
              local guard <close> = setmetatable({}, { __close = function() for i = 1, 3e8 do probe = i end end })
              while true do end
            end)
            f()
            """)
    }

    func testACoroutineKilledByALimitIsNeverClosedLater() throws {
        let vm = try makeVM()
        try assertLimitAndNoProbe(
            """
            saved = coroutine.create(function()
              local guard <close> = setmetatable({}, { __close = function() probe = 'close ran later' end })
              while true do end
            end)
            coroutine.resume(saved)
            """, vm: vm)
        try assertLimitAndNoProbe(
            """
            saved_wrap = coroutine.wrap(function()
              local guard <close> = setmetatable({}, { __close = function() probe = 'wrapped close ran later' end })
              while true do end
            end)
            pcall(saved_wrap)
            """, vm: vm)
        // A later call (no limit hit in it) closes the killed coroutines: their __close never runs.
        XCTAssertEqual(
            try vm.value(
                """
                local ok, e = coroutine.close(saved)
                local ok2, e2 = pcall(saved_wrap)
                return tostring(ok) .. ' ' .. tostring(e) .. ' / ' .. tostring(ok2) .. ' ' .. tostring(e2)
                """), "false instruction limit exceeded / false cannot resume dead coroutine")
        XCTAssertEqual(try vm.value("return tostring(probe)"), "nil")
    }

    func testNothingRunsAfterALimitHitInsideACoroutine() throws {
        try assertLimitAndNoProbe(
            """
            local co = coroutine.create(function() while true do end end)
            coroutine.resume(co)
            probe = 'resumer ran on'
            """)
    }

    func testNothingRunsAfterPcallCaughtTheLimit() throws {
        try assertLimitAndNoProbe(
            """
            pcall(function() while true do end end)
            probe = 'code after pcall ran'
            """)
    }

    func testCloseUnderXpcallDoesNotRunAfterTheLimit() throws {
        try assertLimitAndNoProbe(
            """
            return xpcall(function()
              local guard <close> = setmetatable({}, { __close = function() probe = 'close ran' end })
              while true do end
            end, function(e) return e end)
            """)
    }

    // The guards keep ordinary errors, handlers and coroutines working as in stock Lua.

    func testXpcallStillCallsItsHandlerForOrdinaryErrors() throws {
        let vm = try makeVM()
        XCTAssertEqual(
            try vm.value(
                """
                local ok, e = xpcall(function() error({ code = 7 }) end, function(e) return 'handled ' .. e.code end)
                return tostring(ok) .. ' ' .. e
                """), "false handled 7")
        XCTAssertEqual(try vm.value("return select('#', xpcall(function(a, b) return a, b, a + b end, print, 1, 2))"), "4")
        XCTAssertEqual(
            try vm.value("local ok, e = pcall(xpcall, function() end) return e"),
            "bad argument #2 to 'xpcall' (function expected, got no value)")
    }

    func testCoroutinesStillBehaveAsInStockLua() throws {
        let vm = try makeVM()
        XCTAssertEqual(
            try vm.value(
                """
                local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
                local _, x = coroutine.resume(co, 1)
                local _, y = coroutine.resume(co, 10)
                local ok, e = coroutine.resume(co)
                return x .. ' ' .. y .. ' ' .. tostring(ok) .. ' ' .. e
                """), "2 20 false cannot resume dead coroutine")
        XCTAssertEqual(
            try vm.value(
                """
                local f = coroutine.wrap(function() error('boom') end)
                local ok, e = pcall(f)
                return e
                """), "test:1: boom")
        XCTAssertEqual(
            try vm.value(
                """
                local closed
                local co = coroutine.create(function()
                  local guard <close> = setmetatable({}, { __close = function() closed = 'yes' end })
                  coroutine.yield()
                end)
                coroutine.resume(co)
                coroutine.close(co)
                return closed
                """), "yes")
    }
}
