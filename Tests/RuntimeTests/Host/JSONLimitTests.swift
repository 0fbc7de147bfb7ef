import CLua
import Foundation
import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// JSON work done for a script is bounded like the script's own (issue 9, points 1c and 1d):
/// encoding is charged to the instruction budget and deadline and its bytes to the memory
/// cap (or to the request size limit, or the log's and cache's own bounds), and decoding
/// stops at the VM's cap instead of building far past it.
final class JSONLimitTests: XCTestCase {
    /// The call host functions see while a test's chunk runs.
    private var call: HostCall?
    /// A table whose JSON doubles with each level: 2^depth leaves, 24 distinct tables.
    static func doubling(_ depth: Int) -> String {
        "local t = {1}; for i = 1, \(depth) do t = {t, t} end"
    }

    func limits(instructions: Int64 = 0, cpuSeconds: Double = 3600, memory: Int = 64 << 20) -> LuaLimits {
        var limits = LuaLimits()
        limits.instructions = instructions
        limits.cpuSeconds = cpuSeconds
        limits.memoryBytes = memory
        return limits
    }

    func assertFails(
        _ result: Result<String?, LuaScriptError>?, containing expected: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        switch result {
        case nil: XCTFail("still running after 30 s", file: file, line: line)
        case .success(let value)?: XCTFail("ended normally with \(value?.prefix(60) ?? "nil")", file: file, line: line)
        case .failure(let error)?: XCTAssertTrue(error.message.contains(expected), error.message, file: file, line: line)
        }
    }

    // MARK: Encoding

    func testEncodingIsChargedToTheInstructionBudget() throws {
        let vm = try LuaVM(limits: limits(instructions: 1_000_000))
        assertFails(vm.evaluate(in: call, Self.doubling(23) + "; return #json.encode(t)", within: 30), containing: "instruction limit")
        XCTAssertEqual(try vm.value(in: call, "return json.encode({ a = { 1, 2 } })"), #"{"a":[1,2]}"#)
    }

    func testEncodingChecksTheDeadline() throws {
        let vm = try LuaVM(limits: limits(cpuSeconds: 0.05))
        assertFails(vm.evaluate(in: call, Self.doubling(23) + "; return #json.encode(t)", within: 30), containing: "time limit")
    }

    func testEncodedBytesCountAgainstTheMemoryCap() throws {
        let vm = try LuaVM(limits: limits(memory: 4 << 20))
        assertFails(vm.evaluate(in: call, Self.doubling(23) + "; return #json.encode(t)", within: 30), containing: "memory limit")
        XCTAssertLessThan(vm.peakMemory, 5 << 20, "the encoded text was built past the cap")
    }

    func testAnEncodingLimitCannotBeCaught() throws {
        let vm = try LuaVM(limits: limits(instructions: 1_000_000))
        assertFails(
            vm.evaluate(in: call, Self.doubling(23) + "; pcall(json.encode, t); probe = 'ran on'; return 'done'", within: 30),
            containing: "instruction limit")
        XCTAssertEqual(try vm.value(in: call, "return tostring(probe)"), "nil")
    }

    func testLogLinesAndCacheValuesAreBoundedWhileEncoding() throws {
        let vm = try LuaVM(limits: limits())
        call = HostCall(now: 0, cacheNamespace: "demo/1")
        defer { call = nil }
        switch vm.evaluate(in: call, Self.doubling(26) + "; log.info('big', t); return 'logged'", within: 30) {
        case nil: XCTFail("log.info of a huge table still running after 30 s")
        case .failure(let error)?: XCTFail(error.message)
        case .success?:
            let line = call?.logs.first?.message ?? ""
            XCTAssertLessThanOrEqual(line.utf8.count, LogModule.maxLineBytes)
            XCTAssertTrue(line.hasPrefix("big "), line)
        }
        assertFails(vm.evaluate(in: call, Self.doubling(26) + "; cache.set('k', t, 60)", within: 30), containing: "more than")
    }

    func testRequestBodiesHaveASizeLimit() throws {
        for body in [
            "json = (function() \(Self.doubling(23)) return t end)()", "body = string.rep('x', 6 * 1024 * 1024)",
            "form = { a = string.rep('x', 6 * 1024 * 1024) }",
        ] {
            let code = TestScripts.script(
                prepare: "return { url = 'https://crm.example/leads', \(body) }",
                parse: "return { outcome = 'accepted' }")
            let instance = try TestScripts.instance(code, limits: limits())
            var sent = 0
            let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in
                sent += 1
                return OutboundResponse(status: 200)
            }
            XCTAssertEqual(result.outcome?.kind, .error, body)
            XCTAssertTrue(result.outcome?.message?.contains("request size limit") ?? false, "\(body): \(result.outcome?.message ?? "nil")")
            XCTAssertEqual(sent, 0, "an oversized request was sent")
        }
    }

    // MARK: Decoding

    /// 5 MiB of `[{},{},...]`: about 1.7 million tables, more than a 64 MiB VM holds.
    static let manyTables = "[" + String(repeating: "{},", count: 5 * 1024 * 1024 / 3 - 1) + "{}]"

    func testDecodingStopsAtTheMemoryCap() throws {
        let cap = 64 << 20
        let vm = try LuaVM(limits: limits(memory: cap))
        call = HostCall(now: 0)
        defer { call = nil }
        let s = LuaState(vm.L)
        s.push(Self.manyTables)
        lua_setglobal(vm.L, "text")
        vm.collectGarbage()
        vm.resetPeakMemory()
        assertFails(vm.evaluate(in: call, "return #json.decode(text)", within: 30), containing: "memory limit")
        XCTAssertLessThan(vm.peakMemory, cap + cap / 8, "decoding built \(vm.peakMemory) bytes past a \(cap) cap")
        XCTAssertEqual(try vm.value(in: call, "return json.decode('[1,2,3]')[3]"), "3")
    }

    func testADecodedResponseOverTheCapEndsTheCall() throws {
        let cap = 64 << 20
        let code = TestScripts.script(
            prepare: "return { url = 'https://crm.example/leads' }",
            parse: "return { outcome = 'accepted', external_id = tostring(#(response.json or {})) }")
        let instance = try TestScripts.instance(code, limits: limits(memory: cap))
        instance.vm.resetPeakMemory()
        let body = Array(Self.manyTables.utf8)
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { _ in
            OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: body)
        }
        XCTAssertEqual(result.outcome?.kind, .error, result.outcome?.message ?? "")
        XCTAssertTrue(result.outcome?.message?.contains("memory limit") ?? false, result.outcome?.message ?? "")
        XCTAssertLessThan(instance.vm.peakMemory, cap + cap / 8, "decoding built \(instance.vm.peakMemory) bytes past a \(cap) cap")
    }
}

/// Host functions whose result is several times their input refuse, before building it, a
/// result that would not fit under the VM's memory cap (issue 9, point 1c's rule for what
/// host code builds outside Lua's allocator).
final class HostResultMemoryTests: XCTestCase {
    func testEncodingsRefuseResultsOverTheCap() throws {
        // 3.5 MiB of input under an 8 MiB cap: the input itself fits (string.rep peaks at
        // twice it), and every encoding of it (x1.33 to x3) is more than the room left.
        var limits = LuaLimits.outOfTheWay
        limits.memoryBytes = 8 << 20
        for call in ["url.encode(s)", "crypto.hex(s)", "crypto.base64_encode(s)", "crypto.base64url_encode(s)"] {
            let vm = try LuaVM(limits: limits)
            guard case .failure(let error) = vm.evaluate("local s = string.rep('\\0', 7 * 512 * 1024); return #\(call)") else {
                XCTFail("\(call) built a result over the cap")
                continue
            }
            let function = String(call.prefix { $0 != "(" })
            XCTAssertTrue(error.message.contains("\(function): memory limit exceeded"), error.message)
            XCTAssertEqual(try vm.value("return crypto.hex('ab') .. url.encode(' ')"), "6162%20")
        }
    }
}
