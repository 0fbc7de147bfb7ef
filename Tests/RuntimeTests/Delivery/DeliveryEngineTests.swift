import Dispatch
import Host
import IntegrationRuntime
import OutboundHTTP
import Synchronization
import XCTest

/// The engine with real pools running inline scripts.
final class DeliveryEngineTests: XCTestCase {
    /// The lead id's first letter decides: A accepted, R rejected, E a Lua error, S retry
    /// on the first attempt then accepted, T retry (unavailable) every time.
    static let code = TestScripts.script(
        prepare: "return { url = ctx.params.base_url .. '/leads', json = { id = lead.id, attempt = ctx.attempt } }",
        parse: """
              local id, kind = response.json.id, string.sub(response.json.id, 1, 1)
              if kind == "A" then return { outcome = "accepted", external_id = id } end
              if kind == "R" then return { outcome = "rejected", reason = "duplicate" } end
              if kind == "E" then error("broken for " .. id) end
              if kind == "S" and response.json.attempt >= 2 then
                return { outcome = "accepted", external_id = id .. "@" .. response.json.attempt }
              end
              return { outcome = "retry", reason = "unavailable", message = "try later" }
            """)

    static func pool(transport: any HTTPTransport = DelayedTransport(delay: 0.001), workers: Int = 2) throws -> IntegrationPool {
        try IntegrationPool(
            source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua",
            transport: transport, workers: workers)
    }

    func job(_ lead: String, _ pool: IntegrationPool) -> DeliveryJob {
        DeliveryJob(leadID: lead, pool: pool, input: CallInput(action: .push, lead: .object(["id": .string(lead)]), now: 0))
    }

    func testEachOutcomeEndsAsTheContractSays() async throws {
        let pool = try Self.pool()
        defer { pool.shutdown() }
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(attempts: 3, failures: 100), onEvent: recorder.record)
        for lead in ["A1", "R1", "E1", "S1", "T1"] { engine.submit(job(lead, pool)) }
        await engine.drain()

        func kinds(_ lead: String) -> [String] {
            recorder.states(lead).map {
                switch $0 {
                case .retry(_, let attempt): return "retry \(attempt)"
                default: return "\($0)"
                }
            }
        }
        XCTAssertEqual(kinds("A1"), ["pending", "sending (attempt 1)", "accepted"])
        XCTAssertEqual(kinds("R1"), ["pending", "sending (attempt 1)", "rejected"], "rejected is never retried")
        XCTAssertEqual(kinds("E1"), ["pending", "sending (attempt 1)", "error"], "a script error is kept, not retried")
        XCTAssertEqual(kinds("S1"), ["pending", "sending (attempt 1)", "retry 2", "sending (attempt 2)", "accepted"])
        XCTAssertEqual(recorder.of("S1").last?.outcome?.externalID, "S1@2", "the script saw attempt 2")
        XCTAssertEqual(
            kinds("T1"),
            [
                "pending", "sending (attempt 1)", "retry 2", "sending (attempt 2)", "retry 3",
                "sending (attempt 3)", "error",
            ])
        let gaveUp = try XCTUnwrap(recorder.of("T1").last)
        XCTAssertEqual(gaveUp.attempt, 3)
        XCTAssertEqual(
            gaveUp.outcome?.message,
            "gave up after 3 attempts: the last one ended retry (unavailable): try later; the lead is kept for redelivery")
        XCTAssertEqual(gaveUp.result?.outcome?.kind, .retry, "the script's last outcome comes with it")
        XCTAssertTrue(recorder.of("E1").last?.outcome?.message?.contains("broken for E1") ?? false)
        XCTAssertEqual(engine.unfinished, 0)
    }

    func testAThousandLeadsAllEndInAFinalStateAndNoneIsLost() async throws {
        let pool = try Self.pool(workers: 2)
        defer { pool.shutdown() }
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(attempts: 2, inFlight: 100, failures: 10_000), onEvent: recorder.record)
        let kinds = ["A", "R", "E", "S", "T"]
        let leads = (0..<1000).map { "\(kinds[$0 % 5])\($0)" }
        for lead in leads { engine.submit(job(lead, pool)) }
        await engine.drain()

        let events = recorder.all
        XCTAssertEqual(events.filter { $0.state == .pending }.count, 1000)
        let finals = events.filter(\.state.isFinal)
        XCTAssertEqual(finals.count, 1000, "exactly one final event per lead")
        XCTAssertEqual(Set(finals.map(\.leadID)), Set(leads))
        let last = recorder.last
        var tally: [String: Int] = [:]
        for (lead, state) in last { tally["\(lead.first!)\(state)", default: 0] += 1 }
        XCTAssertEqual(tally, ["Aaccepted": 200, "Rrejected": 200, "Eerror": 200, "Saccepted": 200, "Terror": 200])
        XCTAssertEqual(
            events.filter { if case .sending = $0.state { return true } else { return false } }.count,
            1000 + 200 + 200, "S and T leads took two attempts")
        XCTAssertEqual(engine.unfinished, 0)
        XCTAssertEqual(engine.inFlight, 0)
    }

    func testAttemptsInFlightPerTargetAreBoundedThroughARealPool() async throws {
        let transport = CountingTransport(delay: 0.1)
        let pool = try Self.pool(transport: transport, workers: 2)
        defer { pool.shutdown() }
        let recorder = DeliveryRecorder()
        let engine = DeliveryEngine(configuration: .quick(inFlight: 5), onEvent: recorder.record)
        for i in 0..<30 { engine.submit(job("A\(i)", pool)) }
        await engine.drain()
        XCTAssertEqual(transport.maxConcurrent, 5, "never more than 5 requests at once, and the bound was reached")
        XCTAssertEqual(recorder.last.values.filter { $0 == .accepted }.count, 30)
    }
}

/// Answers 200 with the request's body after `delay`, recording how many requests were open at once.
final class CountingTransport: HTTPTransport {
    let delay: Double
    private let open = Mutex<(now: Int, max: Int)>((0, 0))

    init(delay: Double) { self.delay = delay }

    var maxConcurrent: Int { open.withLock { $0.max } }

    func perform(_ request: OutboundRequest) async -> OutboundResponse {
        await withCheckedContinuation { c in perform(request) { c.resume(returning: $0) } }
    }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        open.withLock { o in
            o.now += 1
            o.max = max(o.max, o.now)
        }
        let response = OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: request.body)
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [self] in
            open.withLock { $0.now -= 1 }
            completion(response)
        }
    }
}
