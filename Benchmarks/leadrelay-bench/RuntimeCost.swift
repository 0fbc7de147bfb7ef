import Foundation
import Host
import IntegrationRuntime
import OutboundHTTP

/// Per-lead cost of the runtime through replay: `prepare` (request built, JSON encoded),
/// the recorded answer handed back, `parse_status` (JSON decoded, outcome mapped). One
/// integration at a time, on this thread (one core), no network.
enum RuntimeCost {
    struct Row {
        var integration: String
        var fixture: String
        var medianMicros: Double
        var p99Micros: Double
        /// Medians of the two halves: up to the request (`prepare`, and `send` up to its
        /// `http.request`), and from the response to the outcome.
        var prepareMicros: Double
        var parseMicros: Double
        var leadsPerSecond: Double
        /// Mean CPU time of this thread per lead (less sensitive to a busy machine than wall time).
        var cpuMicros: Double
        var vmBytesLoaded: Int
        var vmBytesAfter: Int
    }

    enum Failure: Error, CustomStringConvertible {
        case setup(String)
        var description: String { if case .setup(let m) = self { return m }; return "" }
    }

    /// The smallest script: the runtime's own cost per lead (context, request, response,
    /// outcome), with next to no Lua work.
    static let floor = """
        local M = { name = "floor", title = "Floor", actions = { "push" }, params = { base_url = { required = true } } }
        function M.prepare(lead, ctx)
          return { url = ctx.params.base_url .. "/leads", json = { email = lead.email } }
        end
        function M.parse_status(response, ctx)
          return { outcome = "accepted", external_id = response.json.id }
        end
        return M
        """

    static func measure(integrations: String, fixtures: String, iterations: Int) throws -> [Row] {
        let catalog = try IntegrationCatalog.scan(integrations)
        var rows: [Row] = []
        for name in ["(floor)"] + catalog.scripts.keys.sorted() {
            let fixture: Fixture
            let instance: IntegrationInstance
            if name == "(floor)" {
                instance = try IntegrationInstance(source: LuaSource(name: "floor.lua", code: floor), file: "floor.lua")
                fixture = try floorFixture()
            } else {
                let file = "\(fixtures)/\(name)/push-accepted.json"
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw Failure.setup("\(file): missing (the benchmark replays each integration's push-accepted case)")
                }
                fixture = try FixtureLoader.load(bytes: Array(data), file: file, integration: name)
                instance = try catalog.instance(name)
            }
            let file = fixture.file
            instance.vm.collectGarbage()
            let loaded = instance.memoryInUse
            // The recorded answer to the request the script builds, checked once.
            let replay = ReplayTransport(exchanges: fixture.exchanges)
            let (probe, asked) = instance.start(fixture.input)
            guard case .needsHTTP(let request) = asked else {
                throw Failure.setup("\(file): prepare asked for no request; run leadrelay check")
            }
            let step = instance.resume(probe, with: replay.respond(request))
            guard case .finished(let first) = step, replay.difference == nil, first.outcome?.kind == .accepted,
                let exchange = first.exchanges.first
            else {
                throw Failure.setup(
                    "\(file): the case does not pass (\(replay.difference.map { "\($0)" } ?? "a second request or another outcome")); run leadrelay check"
                )
            }
            let response = exchange.response
            let input = fixture.input
            var firstHalf = [UInt64](repeating: 0, count: iterations)
            func once(_ i: Int) {
                let t0 = SystemClock.monotonicNanos()
                let (call, step) = instance.start(input)
                firstHalf[i] = SystemClock.monotonicNanos() - t0
                guard case .needsHTTP = step else { fatalError("\(name): prepare did not ask for HTTP") }
                guard case .finished(let result) = instance.resume(call, with: response),
                    result.outcome?.kind == .accepted
                else { fatalError("\(name): the replayed lead was not accepted") }
            }
            for i in 0..<min(2_000, iterations) { once(i) }
            var samples = [UInt64](repeating: 0, count: iterations)
            let wall = SystemClock.monotonicNanos()
            let cpuStart = threadCPUNanos()
            for i in 0..<iterations {
                let t0 = SystemClock.monotonicNanos()
                once(i)
                samples[i] = SystemClock.monotonicNanos() - t0
            }
            var secondHalf = zip(samples, firstHalf).map { $0 - min($0, $1) }
            firstHalf.sort()
            secondHalf.sort()
            let total = Double(SystemClock.monotonicNanos() - wall) / 1e9
            let cpu = Double(threadCPUNanos() - cpuStart) / 1e3 / Double(iterations)
            samples.sort()
            instance.vm.collectGarbage()
            rows.append(
                Row(
                    integration: name, fixture: "push-accepted",
                    medianMicros: Double(samples[iterations / 2]) / 1e3,
                    p99Micros: Double(samples[min(iterations - 1, iterations * 99 / 100)]) / 1e3,
                    prepareMicros: Double(firstHalf[iterations / 2]) / 1e3,
                    parseMicros: Double(secondHalf[iterations / 2]) / 1e3,
                    leadsPerSecond: Double(iterations) / total, cpuMicros: cpu,
                    vmBytesLoaded: loaded, vmBytesAfter: instance.memoryInUse))
        }
        return rows
    }

    static func floorFixture() throws -> Fixture {
        let text = """
            {"description": "the smallest script", "action": "push", "params": {"base_url": "https://crm.example"},
             "lead": {"id": "L-1", "email": "anna@example.com", "first_name": "Anna", "country": "DE"},
             "exchanges": [{"request": {"method": "POST", "url": "https://crm.example/leads"},
                            "response": {"status": 200, "json": {"id": "x-1"}}}],
             "expect": {"outcome": "accepted", "external_id": "x-1"}}
            """
        return try FixtureLoader.load(bytes: Array(text.utf8), file: "(floor)", integration: "floor")
    }

    static func table(_ rows: [Row], iterations: Int) -> String {
        var out = "Per-lead cost through replay (prepare + parse_status, one core, \(iterations) leads each)\n\n"
        out +=
            "| integration | median µs/lead | p99 µs/lead | to the request (median) | from the response (median) | CPU µs/lead (mean) | leads/s (one core) | VM memory loaded | VM memory after run |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for r in rows {
            out +=
                "| \(r.integration) | \(fmt(r.medianMicros)) | \(fmt(r.p99Micros)) | \(fmt(r.prepareMicros)) | \(fmt(r.parseMicros)) | \(fmt(r.cpuMicros)) | \(Int(r.leadsPerSecond)) | \(kib(r.vmBytesLoaded)) | \(kib(r.vmBytesAfter)) |\n"
        }
        return out
    }

    static func threadCPUNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func fmt(_ v: Double) -> String { String(format: "%.2f", v) }
    static func kib(_ b: Int) -> String { String(format: "%.0f KiB", Double(b) / 1024) }
}
