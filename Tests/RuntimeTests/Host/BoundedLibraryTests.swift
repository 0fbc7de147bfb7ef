import Foundation
import Host
import XCTest

/// Library functions that run in C are bounded by the call's instruction budget and
/// deadline, so no script can keep a thread inside C (issue 9, point 1b). Each case ends
/// with the limit's name and leaves the VM usable.
///
/// The budgets are small, so that a bounded function ends within milliseconds while an
/// unbounded one runs for minutes: each test also runs its code on a thread of its own and
/// fails (instead of hanging the suite) if the call has not come back within a minute.
final class BoundedLibraryTests: XCTestCase {
    func makeVM(instructions: Int64 = 1_000_000, cpuSeconds: Double = 30) throws -> LuaVM {
        try LuaVM(limits: .budget(instructions: instructions, cpuSeconds: cpuSeconds))
    }

    func assertBounded(
        _ code: String, limit: String = "instruction limit", vm: LuaVM? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let vm = try vm ?? makeVM()
        guard let result = vm.evaluate(code, within: 60) else {
            return XCTFail("still running in C after 60 s: \(code)", file: file, line: line)
        }
        switch result {
        case .success(let value):
            XCTFail("ended normally (\(value ?? "nil")) instead of with the \(limit)", file: file, line: line)
        case .failure(let error):
            XCTAssertTrue(error.message.contains(limit), error.message, file: file, line: line)
        }
        XCTAssertEqual(try vm.value("return ('abc'):find('b')"), "2", "the VM is not usable after the limit", file: file, line: line)
    }

    func testBacktrackingFindHitsTheInstructionLimit() throws {
        try assertBounded(#"return string.find(string.rep("a", 1e6), ".-.-.-.-b")"#)
    }

    func testBacktrackingMatchGmatchAndGsubHitTheLimit() throws {
        try assertBounded(#"return string.match(string.rep("a", 1e5), "(.-)(.-)(.-)b")"#)
        try assertBounded(#"for x in string.gmatch(string.rep("a", 1e5), "a*a*a*b") do end"#)
        try assertBounded(#"return (string.gsub(string.rep("a", 1e5), ".-.-.-b", ""))"#)
    }

    func testBacktrackingPatternHitsTheTimeLimit() throws {
        let vm = try makeVM(instructions: 0, cpuSeconds: 0.05)
        try assertBounded(#"return string.find(string.rep("a", 1e6), ".-.-.-.-b")"#, limit: "time limit", vm: vm)
    }

    func testAPcallCannotEscapeABoundedPattern() throws {
        let vm = try makeVM()
        try assertBounded(
            #"""
            for i = 1, 10 do pcall(string.find, string.rep("a", 1e5), ".-.-.-b") end
            probe = 'ran on'
            """#, vm: vm)
        XCTAssertEqual(try vm.value("return tostring(probe)"), "nil")
    }

    func testRepOfAnEmptyStringDoesNotLoopInC() throws {
        // Stock Lua loops 3e9 times copying nothing (over a minute here).
        guard let result = try makeVM().evaluate(#"return #string.rep("", 3e9) .. #string.rep("", 3e9, "")"#, within: 30) else {
            return XCTFail("string.rep of an empty string still running after 30 s")
        }
        XCTAssertEqual(try result.get(), "00")
    }

    func testTableMoveOverAHugeRangeHitsTheLimit() throws {
        try assertBounded("return table.move({}, 1, 1e12, 2)")
    }

    func testTableConcatAndUnpackOverHugeRangesHitTheLimit() throws {
        // __index = table.concat makes every element an empty string made in C.
        try assertBounded("return table.concat(setmetatable({}, { __index = table.concat }), '', 1, 1e12)")
        // Each unpacked element is charged, so 900,000 of them exceed a budget of 100,000.
        try assertBounded(
            "return select('#', table.unpack(setmetatable({}, { __index = table.concat }), 1, 9e5))",
            vm: try makeVM(instructions: 100_000))
    }

    func testInsertRemoveAndSortUnderALyingLengthHitTheLimit() throws {
        let lying = "setmetatable({}, { __len = function() return 1e15 end })"
        try assertBounded("table.insert(\(lying), 1, 'x')")
        try assertBounded("table.remove(\(lying), 1)")
        try assertBounded("table.sort(setmetatable({}, { __len = function() return 2^31 - 2 end, __index = function() return 1 end }))")
    }

    func testCompilingAChunkIsChargedByItsSize() throws {
        // The parser runs in C: 3 MB of source is charged (2 instructions a byte) before it
        // starts, as a string chunk or as pieces a reader function hands over.
        try assertBounded("return load(string.rep('a = 1 ', 5e5))")
        try assertBounded(
            """
            local piece, n = string.rep('a = 1 ', 1e5), 0
            return load(function() n = n + 1 if n <= 10 then return piece end end)
            """)
        XCTAssertEqual(try makeVM().value("return load('return 6 * 7')()"), "42")
        XCTAssertEqual(try makeVM().value("local n = 0 return load(function() n = n + 1 return ({ 'return ', '42' })[n] end)()"), "42")
    }

    func testPlainFindOfAHugeNeedleIsBounded() throws {
        let vm = try makeVM()
        guard
            let result = vm.evaluate(
                #"""
                local hay = string.rep("a", 4 * 1024 * 1024)
                local needle = string.rep("a", 2 * 1024 * 1024 - 1) .. "b"
                return tostring(string.find(hay, needle, 1, true))
                """#, within: 60)
        else { return XCTFail("plain find still running after 60 s") }
        switch result {
        case .success(let value): XCTAssertEqual(value, "nil")
        case .failure(let error): XCTAssertTrue(error.message.contains("limit"), error.message)
        }
    }
}
