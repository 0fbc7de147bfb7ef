import Foundation
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// The status scheduler with a script whose `send` answers without a network (it lists
/// every lead it is asked about), on a real SQLite store and a manual clock.
final class StatusSchedulerTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var scripts: IntegrationDirectory!
    let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))

    /// Reports each lead asked about (or `ext-1` for a range) at the stage of its `stage`
    /// parameter, status "Deposited".
    static let pollster = """
        local M = { name = "pollster", title = "test network", actions = { "push", "status" },
          params = { stage = { default = "approve" } }, limits = { batch = 2 } }
        function M.prepare(lead, ctx) return { method = "GET", url = "https://crm.example/leads" } end
        function M.send(request, ctx)
          local rows = {}
          if ctx.check == "range" then rows[1] = { id = "ext-1", from = ctx.from, to = ctx.to }
          else for i, lead in ipairs(ctx.leads) do rows[i] = { id = lead.external_id } end end
          return { status = 200, json = rows }
        end
        function M.parse_status(response, ctx)
          if ctx.params.stage == "down" then return { outcome = "retry", reason = "unavailable", message = "HTTP 503" } end
          local updates = {}
          for i, row in ipairs(response.json) do
            updates[i] = { external_id = row.id, stage = ctx.params.stage, status = "Deposited" }
          end
          return { updates = updates }
        end
        return M
        """

    static let quiet = """
        local M = { name = "quiet", title = "no status checks", actions = { "push" } }
        function M.prepare(lead, ctx) return { method = "GET", url = "https://crm.example/leads" } end
        function M.parse_status(response, ctx) return { outcome = "accepted" } end
        return M
        """

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory("status")
        let folder = temporary.path + "/integrations"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.pollster.write(toFile: folder + "/pollster.lua", atomically: true, encoding: .utf8)
        try Self.quiet.write(toFile: folder + "/quiet.lua", atomically: true, encoding: .utf8)
        scripts = try IntegrationDirectory(path: folder, transport: transport)
        _ = try scripts.rescan()
    }

    override func tearDownWithError() throws {
        scripts.shutdown()
        transport.shutdown()
        temporary.remove()
    }

    func testARunChecksTheRoutesLeadsInBatchesAndStoresTheirStages() async throws {
        let store = try SQLiteStore(path: temporary.storePath)
        let contract = StatusStoreContract(make: { store })
        let (_, irev, _) = try await contract.prepared()
        let all = StatusSchedule(checks: [.processing, .approved, .range], intervalSeconds: 60)
        let polled = try await store.save(OfferRoute(offerID: "7", integration: "pollster", postbackToken: "t-poll", status: all))
        _ = try await store.save(OfferRoute(offerID: "7", integration: "quiet", postbackToken: "t-quiet", status: all))
        var leads: [String] = []
        for n in 1...3 { leads.append(try await contract.accepted(store, n, through: polled, external: "ext-\(n)", at: Double(n))) }
        let clock = ManualClock(StatusStoreContract.now + 1_000)
        let scheduler = StatusScheduler(store: store, pools: { [scripts] in scripts?.pool($0) }, clock: clock)

        let runs = await scheduler.runDue()
        XCTAssertEqual(runs.map(\.integration), ["pollster"], "irev is not loaded, quiet has no status action")
        let checks = try XCTUnwrap(runs.first?.checks)
        XCTAssertEqual(checks.map(\.check), [.processing, .approved, .range])
        XCTAssertEqual(checks.map(\.calls), [2, 2, 1], "limits.batch = 2: three leads in two calls")
        XCTAssertEqual(checks.map(\.leads), [3, 3, 0])
        XCTAssertEqual(checks[0].recording.changes.map(\.to), [.approve, .approve, .approve])
        XCTAssertEqual(checks[1].recording.duplicates, 3, "the approved check covers the leads approved just now")
        XCTAssertEqual(checks[2].recording.duplicates, 1)
        XCTAssertNil(checks.compactMap(\.failure).first)
        let history = try await store.statusHistory(leadID: leads[0])
        XCTAssertEqual(history.stage, .approve)
        XCTAssertEqual(history.entries.map(\.source), [.processing])
        XCTAssertEqual(irev.integration, "irev")

        let early = await scheduler.runDue()
        XCTAssertEqual(early, [], "not due before its interval")
        clock.advance(by: 60)
        let again = await scheduler.runDue()
        XCTAssertEqual(again.first?.checks.map(\.calls), [0, 2, 1], "no lead is in processing any more")
        XCTAssertEqual(again.first?.checks.map(\.recording.duplicates), [0, 3, 1], "nothing new: nothing stored")
    }

    func testACheckTheNetworkFailsStopsThereAndRunsAgainAtTheNextInterval() async throws {
        let store = try SQLiteStore(path: temporary.storePath)
        let contract = StatusStoreContract(make: { store })
        _ = try await contract.prepared()
        let route = try await store.save(
            OfferRoute(
                offerID: "7", integration: "pollster", params: ["stage": "down"], postbackToken: "t-poll",
                status: StatusSchedule(checks: [.processing, .range], intervalSeconds: 60)))
        for n in 1...5 { _ = try await contract.accepted(store, n, through: route, external: "ext-\(n)", at: Double(n)) }
        let clock = ManualClock(StatusStoreContract.now + 1_000)
        let scheduler = StatusScheduler(store: store, pools: { [scripts] in scripts?.pool($0) }, clock: clock)
        var runs = await scheduler.runDue()
        let checks = try XCTUnwrap(runs.first?.checks)
        XCTAssertEqual(checks.map(\.calls), [1, 1], "the processing check stops at its first failed batch; range is its own check")
        XCTAssertEqual(checks.map(\.failure?.reason), [.unavailable, .unavailable])
        XCTAssertEqual(checks.map(\.recording.stored), [0, 0])
        clock.advance(by: 60)
        runs = await scheduler.runDue()
        XCTAssertEqual(runs.first?.checks.first?.calls, 1, "tried again at the next interval")
    }

    func testTheLoopRunsDueRoutesUntilStopped() async throws {
        let store = try SQLiteStore(path: temporary.storePath)
        let contract = StatusStoreContract(make: { store })
        _ = try await contract.prepared()
        let route = try await store.save(OfferRoute(offerID: "7", integration: "pollster", postbackToken: "t-poll"))
        let lead = try await contract.accepted(store, 1, through: route, external: "ext-1")
        let scheduler = StatusScheduler(
            store: store, pools: { [scripts] in scripts?.pool($0) }, clock: ManualClock(StatusStoreContract.now + 1_000))
        let loop = Task { await scheduler.run() }
        var stage: StatusUpdate.Stage?
        for _ in 0..<500 where stage == nil {
            stage = try await store.statusHistory(leadID: lead).stage
            if stage == nil { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        scheduler.stop()
        await loop.value
        XCTAssertEqual(stage, .approve, "the loop ran the route's default check (processing)")
    }

    func testARouteRunsOnceAtATimeAndLeadsOutsideItsWindowAreNotChecked() async throws {
        let store = try SQLiteStore(path: temporary.storePath)
        let contract = StatusStoreContract(make: { store })
        _ = try await contract.prepared()
        let schedule = StatusSchedule(checks: [.processing], intervalSeconds: 60, windowSeconds: 500)
        let route = try await store.save(OfferRoute(offerID: "7", integration: "pollster", postbackToken: "t-poll", status: schedule))
        let old = try await contract.accepted(store, 1, through: route, external: "ext-1", at: 0)
        let young = try await contract.accepted(store, 2, through: route, external: "ext-2", at: 800)
        let clock = ManualClock(StatusStoreContract.now + 1_000)
        let scheduler = StatusScheduler(store: store, pools: { [scripts] in scripts?.pool($0) }, clock: clock)
        let claimed = await scheduler.dueRoutes()
        XCTAssertEqual(claimed.map(\.0.id), [route.id])
        clock.advance(by: 120)
        let whileRunning = await scheduler.dueRoutes()
        XCTAssertEqual(whileRunning.count, 0, "a route whose run is under way is not started again")
        scheduler.state.withLock { _ = $0.running.remove(route.id) }
        let runs = await scheduler.runDue()
        XCTAssertEqual(runs.first?.checks.first?.leads, 1)
        let oldHistory = try await store.statusHistory(leadID: old)
        let youngHistory = try await store.statusHistory(leadID: young)
        XCTAssertNil(oldHistory.stage, "accepted before the window")
        XCTAssertEqual(youngHistory.stage, .approve)
    }
}
