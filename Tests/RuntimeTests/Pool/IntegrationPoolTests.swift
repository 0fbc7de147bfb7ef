import Dispatch
import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import Synchronization
import XCTest

final class IntegrationPoolTests: XCTestCase {
    /// Echoes the lead id through the request body, so each result can be matched to its lead.
    static let echo = TestScripts.script(
        prepare: "return { url = ctx.params.base_url .. '/leads', json = { id = lead.id, v = 1 } }",
        parse: "return { outcome = 'accepted', external_id = response.json.id .. '/v' .. response.json.v }")

    static func lead(_ id: String) -> JSONValue {
        .object(["id": .string(id), "email": .string("\(id)@example.com"), "country": .string("DE")])
    }

    static func pool(
        _ code: String = echo, transport: any HTTPTransport, workers: Int = 1, limits: LuaLimits = .default,
        events: (@Sendable (PoolEvent) -> Void)? = nil
    ) throws -> IntegrationPool {
        try IntegrationPool(
            source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua",
            limits: limits, modules: StallModule.modules, transport: transport, workers: workers, events: events)
    }

    func testThousandLeadsInFlightOnOneVMFinishTogether() async throws {
        // The transport answers nothing until all 1,000 requests wait at once: only a VM
        // that interleaves its calls gets there. (After a minute it gives up, to fail the
        // test instead of hanging it.)
        let transport = GatedTransport(opensAt: 1000)
        let pool = try Self.pool(transport: transport, workers: 1)
        defer { pool.shutdown() }
        let giveUp = Task {
            if await !transport.waitForRequests(1000) { transport.open() }
        }
        let results = await withTaskGroup(of: (Int, CallResult).self) { group in
            for i in 0..<1000 {
                group.addTask { (i, await pool.run(CallInput(action: .push, lead: Self.lead("L\(i)"), now: 1000))) }
            }
            var all: [Int: CallResult] = [:]
            for await (i, r) in group { all[i] = r }
            return all
        }
        giveUp.cancel()
        XCTAssertTrue(transport.openedByCount, "the 1,000 calls were never all waiting for HTTP at once on one VM")
        XCTAssertEqual(results.count, 1000)
        for (i, result) in results {
            XCTAssertEqual(result.outcome, Outcome(.accepted, externalID: "L\(i)/v1"), "lead \(i)")
        }
        XCTAssertEqual(transport.requests, 1000)
    }

    func testStuckInsideCIsAbandonedAndTheNextLeadIsServed() async throws {
        var limits = LuaLimits()
        limits.cpuSeconds = 0.2
        limits.abandonGraceSeconds = 0.3
        let events = Mutex<[String]>([])
        let code = TestScripts.script(
            prepare: """
                  if lead.id == "stuck" then
                    -- Blocks inside host code for 20 s; the hook never runs meanwhile. (Every
                    -- library function is bounded now, so only a test module can do this.)
                    time.stall(20)
                  end
                  return { url = ctx.params.base_url .. '/leads', json = { id = lead.id, v = 1 } }
                """,
            parse: "return { outcome = 'accepted', external_id = response.json.id }")
        let transport = GatedTransport()
        let pool = try Self.pool(
            code, transport: transport, workers: 1, limits: limits,
            events: { e in events.withLock { $0.append(e.description) } })
        defer { pool.shutdown() }
        // A call already waiting for HTTP on the VM when it gets stuck must end, not vanish.
        async let waiting = pool.run(CallInput(action: .push, lead: Self.lead("waiting"), now: 1000))
        let waitingSent = await transport.waitForRequests(1)
        XCTAssertTrue(waitingSent)
        let started = SystemClock.monotonicNanos()
        let stuck = await pool.run(CallInput(action: .push, lead: Self.lead("stuck"), now: 1000))
        let seconds = Double(SystemClock.monotonicNanos() - started) / 1e9
        XCTAssertEqual(stuck.outcome?.kind, .error)
        let stuckMessage = stuck.outcome?.message ?? ""
        XCTAssertTrue(stuckMessage.hasPrefix("demo: prepare: time limit exceeded: the script stayed inside C code"), stuckMessage)
        XCTAssertTrue(stuckMessage.hasSuffix("s past its deadline; its VM was abandoned"), stuckMessage)
        XCTAssertEqual(stuck.hook, .prepare)
        // The watchdog, not the end of the stall, ended it (20 s: a bound no slow machine nears).
        XCTAssertLessThan(seconds, 15, "the stuck call took \(seconds) s to end")
        transport.open()
        let waited = await waiting
        XCTAssertEqual(waited.outcome?.kind, .error)
        XCTAssertEqual(
            waited.outcome?.message,
            "demo: prepare: the VM running this call was abandoned while the call waited for HTTP (another call got stuck inside C code); the request was sent but its answer was not read"
        )
        let next = await pool.run(CallInput(action: .push, lead: Self.lead("next"), now: 1000))
        XCTAssertEqual(next.outcome, Outcome(.accepted, externalID: "next"))
        XCTAssertEqual(pool.workerCount, 1)
        XCTAssertTrue(events.withLock { $0.contains { $0.contains("abandoned and replaced") } }, "\(events.withLock { $0 })")
    }

    func testLeadsSubmittedWhileAVMIsReplacedAreNeitherLostNorFailed() async throws {
        var limits = LuaLimits()
        limits.cpuSeconds = 0.2
        limits.abandonGraceSeconds = 0.3
        let code = TestScripts.script(
            prepare: """
                  if lead.id == "stuck" then time.stall(2.5) end
                  return { url = ctx.params.base_url .. '/leads', json = { id = lead.id, v = 1 } }
                """,
            parse: "return { outcome = 'accepted', external_id = response.json.id }")
        let pool = try Self.pool(code, transport: DelayedTransport(delay: 0.01), workers: 1, limits: limits)
        defer { pool.shutdown() }
        let results = await withTaskGroup(of: (String, CallResult).self) { group in
            group.addTask { ("stuck", await pool.run(CallInput(action: .push, lead: Self.lead("stuck"), now: 1000))) }
            // A steady stream for 1.2 s: before, during and after the abandonment (~0.5 s).
            for i in 0..<120 {
                try? await Task.sleep(for: .milliseconds(10))
                group.addTask { ("L\(i)", await pool.run(CallInput(action: .push, lead: Self.lead("L\(i)"), now: 1000))) }
            }
            var all: [String: CallResult] = [:]
            for await (id, r) in group { all[id] = r }
            return all
        }
        XCTAssertEqual(results.count, 121, "every submitted lead comes back")
        XCTAssertTrue(results["stuck"]?.outcome?.message?.contains("time limit") ?? false)
        // Leads queued behind the stuck call never started on the abandoned VM: they run on
        // the replacement and are accepted.
        let others = results.filter { $0.key != "stuck" }
        let accepted = others.filter { $0.value.outcome == Outcome(.accepted, externalID: $0.key) }
        let failed = others.filter { $0.value.outcome?.kind != .accepted }
        for (id, r) in failed {
            XCTAssertTrue(r.outcome?.message?.contains("abandoned") ?? false, "\(id): \(r.json.encoded())")
        }
        XCTAssertGreaterThan(accepted.count, 100, "\(failed.count) failed")
    }

    func testReloadSwapsInTheNewVersionForNewCallsOnly() async throws {
        let transport = GatedTransport()
        let pool = try Self.pool(transport: transport, workers: 2)
        defer { pool.shutdown() }
        async let old = pool.run(CallInput(action: .push, lead: Self.lead("before"), now: 1000))
        let oldSent = await transport.waitForRequests(1)
        XCTAssertTrue(oldSent)
        let v2 = Self.echo.replacingOccurrences(of: "v = 1", with: "v = 2")
        try pool.reload(source: LuaSource(name: "demo.lua", code: v2), libraries: [:])
        transport.open()
        let new = await pool.run(CallInput(action: .push, lead: Self.lead("after"), now: 1000))
        XCTAssertEqual(new.outcome, Outcome(.accepted, externalID: "after/v2"))
        let finished = await old
        XCTAssertEqual(finished.outcome, Outcome(.accepted, externalID: "before/v1"), "a call finishes on the version it started on")
    }

    func testBrokenReloadKeepsTheOldVersionAndSaysWhy() async throws {
        let events = Mutex<[String]>([])
        let pool = try Self.pool(transport: DelayedTransport(delay: 0), events: { e in events.withLock { $0.append(e.description) } })
        defer { pool.shutdown() }
        let broken = Self.echo.replacingOccurrences(of: "return M", with: "return M end")
        XCTAssertThrowsError(try pool.reload(source: LuaSource(name: "demo.lua", code: broken), libraries: [:])) { error in
            let e = error as? ScriptLoadError
            XCTAssertEqual(e?.file, "integrations/demo.lua")
            XCTAssertNotNil(e?.line, "\(error)")
        }
        let renamed = Self.echo.replacingOccurrences(of: "name = \"demo\"", with: "name = \"other\"")
        XCTAssertThrowsError(try pool.reload(source: LuaSource(name: "demo.lua", code: renamed), libraries: [:]))
        let result = await pool.run(CallInput(action: .push, lead: Self.lead("x"), now: 1000))
        XCTAssertEqual(result.outcome, Outcome(.accepted, externalID: "x/v1"))
        XCTAssertEqual(events.withLock { $0.filter { $0.contains("reload failed") }.count }, 2)
    }

    func testShutdownEndsWaitingCallsWithAnError() async throws {
        let transport = GatedTransport()
        let pool = try Self.pool(transport: transport)
        async let waiting = pool.run(CallInput(action: .push, lead: Self.lead("w"), now: 1000))
        let sent = await transport.waitForRequests(1)
        XCTAssertTrue(sent)
        pool.shutdown()
        defer { transport.open() }
        let result = await waiting
        XCTAssertEqual(result.outcome?.kind, .error)
        XCTAssertTrue(result.outcome?.message?.contains("shut down") ?? false, result.outcome?.message ?? "")
        let after = await pool.run(CallInput(action: .push, lead: Self.lead("late"), now: 1000))
        XCTAssertEqual(after.outcome?.kind, .error)
    }
}
