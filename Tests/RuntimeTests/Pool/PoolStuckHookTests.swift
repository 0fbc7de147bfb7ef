import Host
import IntegrationRuntime
import OutboundHTTP
import Synchronization
import XCTest

/// `leadrelay run` and `check` run their call on a pool of one VM, like production: a hook
/// whose VM stays in host code past its deadline plus the grace period ends the call at once
/// with the `time limit`, naming the hook it was stuck in, and a fresh VM serves the next call.
final class PoolStuckHookTests: XCTestCase {
    /// Longer than any wait for the watchdog: a call that ends before this did not wait for the stall.
    static let stallSeconds = 30.0

    /// Answers every request at once with the lead id it carries.
    struct Echo: HTTPTransport {
        func perform(_ request: OutboundRequest) async -> OutboundResponse {
            OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: request.body)
        }
    }

    static func pool(
        prepare: String = "", send: String? = nil, parse: String = "",
        params: String = "base_url = { default = \"https://crm.example\" }"
    ) throws -> IntegrationPool {
        var limits = LuaLimits()
        limits.instructions = 0
        limits.cpuSeconds = 0.2
        limits.abandonGraceSeconds = 0.3
        let sendHook = send.map { "function M.send(request, ctx)\n\($0)\nend" } ?? ""
        let code = TestScripts.script(
            params: params, extra: sendHook,
            prepare: "\(prepare)\nreturn { url = 'https://crm.example/leads', json = { id = lead.id } }",
            parse: "\(parse)\nreturn { outcome = 'accepted', external_id = response.json.id }")
        return try IntegrationPool(
            source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua",
            limits: limits, modules: StallModule.modules, transport: Echo(), workers: 1)
    }

    static let stall = "if lead.id == 'stuck' then time.stall(\(stallSeconds)) end"
    static func input(_ id: String) -> CallInput {
        CallInput(action: .push, lead: .object(["id": .string(id)]), now: 1000)
    }

    /// Runs the stuck call, checks it ended with the time limit in `hook` without waiting
    /// for the stall, then checks the pool's next call is served.
    func assertAbandoned(in hook: String, _ pool: IntegrationPool, file: StaticString = #filePath, line: UInt = #line) async {
        let started = SystemClock.monotonicNanos()
        let result = await pool.run(Self.input("stuck"))
        let seconds = Double(SystemClock.monotonicNanos() - started) / 1e9
        let message = result.outcome?.message ?? ""
        XCTAssertEqual(result.outcome?.kind, .error, result.json.encoded(), file: file, line: line)
        XCTAssertTrue(
            message.hasPrefix("demo: \(hook): time limit exceeded: the script stayed inside C code"), message, file: file, line: line)
        XCTAssertTrue(message.hasSuffix("s past its deadline; its VM was abandoned"), message, file: file, line: line)
        XCTAssertLessThan(seconds, Self.stallSeconds / 2, "the call waited for the stuck VM", file: file, line: line)
        let next = await pool.run(Self.input("L-2"))
        XCTAssertEqual(next.outcome, Outcome(.accepted, externalID: "L-2"), file: file, line: line)
        pool.shutdown()
    }

    func testACallStuckInPrepareEndsWithTheTimeLimitAndAFreshVMServes() async throws {
        await assertAbandoned(in: "prepare", try Self.pool(prepare: Self.stall))
    }

    func testACallStuckInSendNamesSend() async throws {
        let send =
            "local response = http.request(request)\nif ctx.lead.id == 'stuck' then time.stall(\(Self.stallSeconds)) end\nreturn response"
        await assertAbandoned(in: "send", try Self.pool(send: send))
    }

    func testACallStuckInParseStatusAfterSendReturnedNamesParseStatus() async throws {
        // send returns and parse_status runs in the same step: the hook named is the one stuck.
        let parse = "if ctx.lead.id == 'stuck' then time.stall(\(Self.stallSeconds)) end"
        await assertAbandoned(in: "parse_status", try Self.pool(send: "return http.request(request)", parse: parse))
    }

    /// The stuck call's result cannot take the call's masker (its thread may still change
    /// it), but it masks the parameters' secrets, so whoever prints around it (`run`, a
    /// case's difference in `check`) masks them.
    func testAStuckCallsResultMasksTheSecretParameters() async throws {
        let pool = try Self.pool(prepare: Self.stall, params: "token = { secret = true }")
        let input = CallInput(
            action: .push, lead: .object(["id": .string("stuck")]), params: ["token": .string("tok-SECRET-77")], now: 1000)
        let result = await pool.run(input)
        XCTAssertTrue(result.outcome?.message?.contains("time limit") ?? false, result.json.encoded())
        XCTAssertEqual(result.masker.mask("sent tok-SECRET-77"), "sent ***")
        pool.shutdown()
    }

    /// A reload while the call is stuck (the new version no longer declares the secret) does
    /// not unmask it: the stuck call's masker comes from the version it ran on.
    func testAStuckCallKeepsTheSecretsOfTheVersionItRanOn() async throws {
        let pool = try Self.pool(prepare: Self.stall, params: "token = { secret = true }")
        let input = CallInput(
            action: .push, lead: .object(["id": .string("stuck")]), params: ["token": .string("tok-SECRET-88")], now: 1000)
        async let stuck = pool.run(input)
        while pool.liveCalls == 0 { try await Task.sleep(nanoseconds: 5_000_000) }
        let plain = TestScripts.script(
            params: "token = { required = false }",
            prepare: "return { url = 'https://crm.example/leads', json = { id = lead.id } }",
            parse: "return { outcome = 'accepted', external_id = response.json.id }")
        try pool.reload(source: LuaSource(name: "demo.lua", code: plain), libraries: [:])
        let result = await stuck
        XCTAssertTrue(result.outcome?.message?.contains("time limit") ?? false, result.json.encoded())
        XCTAssertEqual(result.masker.mask("sent tok-SECRET-88"), "sent ***")
        pool.shutdown()
    }

    /// Records the lead ids of the requests it is asked to send.
    final class Recorder: HTTPTransport, Sendable {
        let sent = Mutex<[String]>([])
        let arrived: XCTestExpectation
        init(_ arrived: XCTestExpectation) { self.arrived = arrived }
        func perform(_ request: OutboundRequest) async -> OutboundResponse {
            let body = String(decoding: request.body, as: UTF8.self)
            sent.withLock { $0.append(body) }
            if body.contains("stuck") { arrived.fulfill() }
            return OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: request.body)
        }
    }

    /// Once the watchdog ended a stuck call as `error`, its thread coming back from C must not
    /// send the call's request: the lead was reported failed, a request now would deliver it
    /// behind the delivery engine's back.
    func testAnAbandonedCallSendsNothingWhenItsThreadComesBack() async throws {
        var limits = LuaLimits()
        limits.instructions = 0
        limits.cpuSeconds = 0.2
        limits.abandonGraceSeconds = 0.3
        let code = TestScripts.script(
            prepare:
                "if lead.id == 'stuck' then time.stall(1.2) end\nreturn { url = 'https://crm.example/leads', json = { id = lead.id } }",
            parse: "return { outcome = 'accepted', external_id = response.json.id }")
        let late = expectation(description: "the abandoned call's request was sent")
        late.isInverted = true
        let recorder = Recorder(late)
        let pool = try IntegrationPool(
            source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua",
            limits: limits, modules: StallModule.modules, transport: recorder, workers: 1)
        defer { pool.shutdown() }
        let result = await pool.run(CallInput(action: .push, lead: .object(["id": .string("stuck")]), now: 1000))
        XCTAssertEqual(result.outcome?.kind, .error, result.json.encoded())
        XCTAssertTrue(result.outcome?.message?.contains("time limit") ?? false, result.json.encoded())
        // The stalled thread comes back about a second later; give it time to do what it does.
        await fulfillment(of: [late], timeout: 3)
        XCTAssertEqual(
            recorder.sent.withLock { $0 }.filter { $0.contains("stuck") }, [],
            "a call already ended as error sent its request")
    }
}
