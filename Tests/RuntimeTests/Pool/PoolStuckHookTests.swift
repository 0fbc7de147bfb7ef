import Host
import IntegrationRuntime
import OutboundHTTP
import XCTest

/// `leadrelay run` drives a call step by step through a `WatchedInstance`: a step whose VM
/// stays in host code past its deadline plus the grace period ends the call at once with
/// the `time limit`, naming the hook it was stuck in, and a fresh instance serves the next.
final class WatchedInstanceTests: XCTestCase {
    /// Longer than any wait for the watchdog: a step that ends before this did not wait for the stall.
    static let stallSeconds = 30.0

    static func watched(prepare: String = "", send: String? = nil, parse: String = "") throws -> WatchedInstance {
        var limits = LuaLimits()
        limits.instructions = 0
        limits.cpuSeconds = 0.2
        limits.abandonGraceSeconds = 0.3
        let sendHook = send.map { "function M.send(request, ctx)\n\($0)\nend" } ?? ""
        let code = TestScripts.script(
            extra: sendHook,
            prepare: "\(prepare)\nreturn { url = 'https://crm.example/leads', json = { id = lead.id } }",
            parse: "\(parse)\nreturn { outcome = 'accepted', external_id = response.json.id }")
        return WatchedInstance(try IntegrationInstance(
            source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua", limits: limits, modules: StallModule.modules))
    }

    static let stall = "if lead.id == 'stuck' then time.stall(\(stallSeconds)) end"
    static func input(_ id: String) -> CallInput {
        CallInput(action: .push, lead: .object(["id": .string(id)]), now: 1000)
    }
    static let answer = OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: Array(#"{"id":"stuck"}"#.utf8))

    /// The message of a call that ended in `step`, and how long `body` took.
    func timed(_ body: () async throws -> CallStep) async rethrows -> (String, Double) {
        let started = SystemClock.monotonicNanos()
        let step = try await body()
        let seconds = Double(SystemClock.monotonicNanos() - started) / 1e9
        guard case .finished(let result) = step else {
            XCTFail("the call did not end")
            return ("", seconds)
        }
        XCTAssertEqual(result.outcome?.kind, .error, result.json.encoded())
        return (result.outcome?.message ?? "", seconds)
    }

    func assertAbandoned(_ message: String, in hook: String, seconds: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(message.hasPrefix("demo: \(hook): time limit exceeded: the script stayed inside C code"), message, file: file, line: line)
        XCTAssertTrue(message.hasSuffix("s past its deadline; its VM was abandoned"), message, file: file, line: line)
        XCTAssertLessThan(seconds, Self.stallSeconds / 2, "the step waited for the stuck VM", file: file, line: line)
    }

    func testAStepStuckInPrepareEndsWithTheTimeLimitAndAFreshInstanceServes() async throws {
        let watched = try Self.watched(prepare: Self.stall)
        let (message, seconds) = await timed { await watched.start(Self.input("stuck")).1 }
        assertAbandoned(message, in: "prepare", seconds: seconds)
        // The abandoned instance is not used again; a fresh one serves.
        let (_, again) = await watched.start(Self.input("L-1"))
        guard case .finished(let refused) = again else { return XCTFail("an abandoned instance ran a call") }
        XCTAssertTrue(refused.outcome?.message?.contains("time limit") ?? false, refused.json.encoded())
        let fresh = try Self.watched(prepare: Self.stall)
        let (call, first) = await fresh.start(Self.input("L-2"))
        guard case .needsHTTP = first else { return XCTFail("prepare did not ask for the request") }
        let end = await fresh.resume(call, with: OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: Array(#"{"id":"L-2"}"#.utf8)))
        guard case .finished(let result) = end else { return XCTFail("the call did not end") }
        XCTAssertEqual(result.outcome, Outcome(.accepted, externalID: "L-2"))
    }

    func testAStepStuckInSendNamesSend() async throws {
        let watched = try Self.watched(send: "local response = http.request(request)\nif ctx.lead.id == 'stuck' then time.stall(\(Self.stallSeconds)) end\nreturn response")
        let (call, first) = await watched.start(Self.input("stuck"))
        guard case .needsHTTP = first else { return XCTFail("send did not ask for the request") }
        let (message, seconds) = await timed { await watched.resume(call, with: Self.answer) }
        assertAbandoned(message, in: "send", seconds: seconds)
    }

    func testAStepStuckInParseStatusAfterSendReturnedNamesParseStatus() async throws {
        // send returns and parse_status runs in the same step: the hook named is the one stuck.
        let watched = try Self.watched(send: "return http.request(request)", parse: "if ctx.lead.id == 'stuck' then time.stall(\(Self.stallSeconds)) end")
        let (call, first) = await watched.start(Self.input("stuck"))
        guard case .needsHTTP = first else { return XCTFail("send did not ask for the request") }
        let (message, seconds) = await timed { await watched.resume(call, with: Self.answer) }
        assertAbandoned(message, in: "parse_status", seconds: seconds)
    }
}
