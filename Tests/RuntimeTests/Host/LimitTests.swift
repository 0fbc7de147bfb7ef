import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// Each limit of the contract ends the call as outcome `error` naming it, and the same VM
/// then serves the next lead correctly.
///
/// A test of one limit sets the others out of its way (`only(_:)`): on a slow machine, or
/// under AddressSanitizer, the time limit must not bite first in an instruction or memory
/// test. Nothing here measures time.
final class LimitTests: XCTestCase {
    /// The contract's defaults for `limit`, with the other two CPU and memory limits lifted.
    func only(_ limit: LuaLimit, cpuSeconds: Double = 0.2) -> LuaLimits {
        var limits = LuaLimits()
        switch limit {
        case .instructions:
            limits.cpuSeconds = 3600
        case .time:
            limits.instructions = 0
            limits.cpuSeconds = cpuSeconds
        case .memory, .responseSize, .requestSize:
            limits.instructions = 0
            limits.cpuSeconds = 3600
        }
        return limits
    }

    /// A script whose prepare runs `body` when the lead's id is "evil" and otherwise sends.
    func instance(_ body: String, limits: LuaLimits = .default) throws -> IntegrationInstance {
        let code = TestScripts.script(
            prepare: """
                  if lead.id == "evil" then
                  \(body)
                  end
                  return { url = "https://crm.example/leads", json = { email = lead.email } }
                """,
            parse: "return { outcome = 'accepted', external_id = tostring(response.status) }")
        return try TestScripts.instance(code, limits: limits)
    }

    func run(_ instance: IntegrationInstance, id: String) -> CallResult {
        var lead = TestScripts.lead.objectValue!
        lead["id"] = .string(id)
        return instance.run(CallInput(action: .push, lead: .object(lead), now: 0)) { _ in OutboundResponse(status: 201) }
    }

    func assertLimit(_ body: String, _ limit: LuaLimit, limits: LuaLimits? = nil, file: StaticString = #filePath, line: UInt = #line) throws
    {
        let instance = try instance(body, limits: limits ?? only(limit))
        let bad = run(instance, id: "evil")
        XCTAssertEqual(bad.outcome?.kind, .error, file: file, line: line)
        XCTAssertTrue(bad.outcome?.message?.contains(limit.rawValue) ?? false, "\(bad.outcome?.message ?? "nil")", file: file, line: line)
        let good = run(instance, id: "L-2")
        XCTAssertEqual(good.outcome, Outcome(.accepted, externalID: "201"), "the VM did not serve the next lead", file: file, line: line)
    }

    func testInfiniteLoopHitsInstructionLimit() throws {
        try assertLimit("while true do end", .instructions)
    }

    func testPcallCannotEscapeTheInstructionLimit() throws {
        try assertLimit("while true do pcall(function() while true do end end) end", .instructions)
    }

    func testMessageHandlerCannotEscapeTheInstructionLimit() throws {
        try assertLimit("xpcall(function() while true do end end, function(e) while true do end end)", .instructions)
    }

    func testDeadlineHitsTimeLimit() throws {
        try assertLimit("local x = 0 while true do x = x + 1 end", .time)
    }

    func testEndlessAllocationHitsMemoryLimit() throws {
        try assertLimit("local t = {} local i = 0 while true do i = i + 1 t[i] = string.rep('x', 1048576) .. i end", .memory)
    }

    func testHugeStringRepHitsMemoryLimit() throws {
        try assertLimit("local s = string.rep('x', 2^31)", .memory)
    }

    func testPcallCannotEscapeTheMemoryLimit() throws {
        try assertLimit("for i = 1, 100 do pcall(string.rep, 'x', 2^31) end", .memory)
    }

    func testResponseSizeLimit() throws {
        var limits = LuaLimits()
        limits.responseBytes = 1024
        let instance = try instance("", limits: limits)
        var lead = TestScripts.lead.objectValue!
        lead["id"] = .string("L-3")
        let result = instance.run(CallInput(action: .push, lead: .object(lead), now: 0)) { request in
            XCTAssertEqual(request.maxResponseBytes, 1024)
            return .failed(.responseTooLarge)
        }
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("response size limit") ?? false, result.outcome?.message ?? "")
        XCTAssertEqual(run(instance, id: "L-4").outcome, Outcome(.accepted, externalID: "201"))
    }

    func testHTTPTimeoutIsATransportFailureTheScriptSees() throws {
        let code = TestScripts.script(
            extra: "M.limits = { timeout = 85 }",
            prepare: "return { url = 'https://crm.example/leads' }",
            parse: "return { outcome = 'retry', reason = 'timeout', message = tostring(response.status) .. ' ' .. response.error }")
        let source = code.replacingOccurrences(of: "M.limits = { timeout = 85 }", with: "")
            .replacingOccurrences(of: "params = {", with: "limits = { timeout = 85 },\n  params = {")
        let instance = try TestScripts.instance(source)
        var seenTimeout = 0.0
        let result = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) { request in
            seenTimeout = request.timeout
            return .failed(.timeout)
        }
        XCTAssertEqual(seenTimeout, 85)
        XCTAssertEqual(result.outcome, Outcome(.retry, reason: .timeout, message: "0 timeout"))
    }

    func testRequestTimeoutIsCappedAtTheMaximum() throws {
        let code = TestScripts.script(
            prepare: "return { url = 'https://crm.example/leads', timeout = 1000 }", parse: "return { outcome = 'accepted' }")
        let instance = try TestScripts.instance(code)
        var seen = 0.0
        _ = instance.run(CallInput(action: .push, lead: TestScripts.lead, now: 0)) {
            seen = $0.timeout; return OutboundResponse(status: 200)
        }
        XCTAssertEqual(seen, 120)
    }
}
