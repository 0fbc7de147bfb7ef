import Foundation
import Host
import IntegrationRuntime
import LeadJSON
import NetworkEmulators
import OutboundHTTP
import Synchronization

/// The sections of `make bench` that run the bundled scripts against the network emulators
/// (issue 4, benchmark b, c, d).
enum EmulatorSections {
    static func catalog(_ integrations: String) throws -> IntegrationCatalog { try IntegrationCatalog.scan(integrations) }

    static func clixnowInput(_ emulators: EmulatorServer, _ i: Int, tag: String) -> CallInput {
        let lead: JSONValue = .object([
            "id": .string("B-\(tag)-\(i)"), "first_name": .string("Anna"), "last_name": .string("Schmidt"),
            "email": .string("bench-\(tag)-\(i)@example.com"), "phone": .string("+49 151 \(1_000_000 + i)"),
            "country": .string("DE"), "language": .string("de"), "ip": .string("203.0.113.7"), "password": .string("Xy7!pass-\(i)"),
        ])
        return CallInput(
            action: .push, subject: .lead(lead),
            params: [
                "base_url": .string(emulators.baseURL(.clixnow) + "/api/system/v1"),
                "api_token": .string(EmulatorCredentials().clixnowToken),
            ], now: Int64(SystemClock.epochSeconds()))
    }

    /// (b) `leads` leads in flight at once against emulators answering after `latency` s.
    static func manyInFlight(integrations: String, leads: Int, latency: Double) async throws -> String {
        let emulators = try await EmulatorServer.start(EmulatorServer.Configuration(latency: latency))
        let transport = LiveTransport(
            configuration: LiveTransport.Configuration(
                maxConnectionsPerHost: 4_000, maxTotalConnections: 4_000, egressPolicy: .allowingLocalNetworks))
        let pool = try IntegrationPool(catalog: catalog(integrations), name: "clixnow", transport: transport)
        let rssBefore = Memory.residentBytes()
        let started = SystemClock.monotonicNanos()
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<leads {
                let input = clixnowInput(emulators, i, tag: "many")
                group.addTask { await pool.run(input).outcome?.kind == .accepted }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        let seconds = Double(SystemClock.monotonicNanos() - started) / 1e9
        let peak = Memory.peakResidentBytes()
        pool.shutdown()
        transport.shutdown()
        await emulators.stop()
        return """
            \(leads) leads in flight at once through integrations/clixnow.lua against the emulators answering after \(latency) s \
            (LiveTransport with up to 4,000 connections; the emulators run in the same process)

            | leads | accepted | all done in | RSS before | peak RSS (process, emulators included) |
            |---:|---:|---:|---:|---:|
            | \(leads) | \(accepted) | \(String(format: "%.2f", seconds)) s | \(Memory.mib(rssBefore)) | \(Memory.mib(peak)) |

            """
    }

    /// (c) What the runtime adds: scripted delivery vs a bare call of the same transport
    /// with the same kind of request to the same emulators, interleaved in one run.
    static func addedLatency(integrations: String, samples: Int) async throws -> String {
        let emulators = try await EmulatorServer.start(EmulatorServer.Configuration())
        let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        let catalog = try catalog(integrations)
        let pool = try IntegrationPool(catalog: catalog, name: "clixnow", transport: transport, workers: 1)
        let builder = try catalog.instance("clixnow")
        var bare: [UInt64] = []
        var scripted: [UInt64] = []
        for i in 0..<(samples + 200) {
            // The request the script would build for another new lead, sent bare.
            let (call, step) = builder.start(clixnowInput(emulators, i, tag: "bare"))
            guard case .needsHTTP(let request) = step else { throw RuntimeCost.Failure.setup("clixnow: prepare did not ask for HTTP") }
            builder.cancel(call)
            var t0 = SystemClock.monotonicNanos()
            let response = await transport.perform(request)
            let bareNanos = SystemClock.monotonicNanos() - t0
            guard response.status == 200 || response.status == 201 else {
                throw RuntimeCost.Failure.setup(
                    "bare request \(request.method) \(request.url) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))"
                )
            }
            t0 = SystemClock.monotonicNanos()
            let result = await pool.run(clixnowInput(emulators, i, tag: "scripted"))
            let scriptedNanos = SystemClock.monotonicNanos() - t0
            guard result.outcome?.kind == .accepted else { throw RuntimeCost.Failure.setup("scripted lead: \(result.json.encoded())") }
            if i >= 200 { bare.append(bareNanos); scripted.append(scriptedNanos) }
        }
        pool.shutdown()
        transport.shutdown()
        await emulators.stop()
        bare.sort(); scripted.sort()
        func p(_ a: [UInt64], _ q: Double) -> Double { Double(a[min(a.count - 1, Int(Double(a.count) * q))]) / 1e3 }
        let f = { (v: Double) in String(format: "%.0f", v) }
        return """
            Latency the runtime adds: clixnow push through the script and the pool vs the same transport sending the \
            script's request bare, to the same emulators, \(samples) of each, interleaved, one at a time (µs)

            | | p50 | p99 |
            |---|---:|---:|
            | bare LiveTransport call | \(f(p(bare, 0.5))) | \(f(p(bare, 0.99))) |
            | through the script | \(f(p(scripted, 0.5))) | \(f(p(scripted, 0.99))) |
            | added | \(f(p(scripted, 0.5) - p(bare, 0.5))) | \(f(p(scripted, 0.99) - p(bare, 0.99))) |

            """
    }

    /// (d) IREV's 10 GET requests per 3 s under a burst of status checks.
    static func irevRate(integrations: String, checks: Int) async throws -> String {
        let emulators = try await EmulatorServer.start(EmulatorServer.Configuration())
        let transport = LiveTransport(configuration: .init(egressPolicy: .allowingLocalNetworks))
        let counted = CountingTransport(base: transport)
        let pool = try IntegrationPool.rateLimited(catalog: catalog(integrations), name: "irev", transport: counted)
        let params: [String: JSONValue] = [
            "base_url": .string(emulators.baseURL(.irev)), "api_token": .string(EmulatorCredentials().irevToken),
            "affiliate_id": .string("2"), "offer_id": .string("1"),
        ]
        let started = SystemClock.monotonicNanos()
        let results = await withTaskGroup(of: CallResult.self) { group in
            for _ in 0..<checks {
                group.addTask {
                    await pool.run(
                        CallInput(
                            action: .status, subject: .status(.range(from: "2026-01-01T00:00:00Z", to: "2026-01-01T23:59:59Z")),
                            params: params, now: Int64(SystemClock.epochSeconds())))
                }
            }
            var all: [CallResult] = []
            for await r in group { all.append(r) }
            return all
        }
        let seconds = Double(SystemClock.monotonicNanos() - started) / 1e9
        let refused = results.flatMap(\.exchanges).filter { $0.response.status == 429 }.count
        let worst = counted.mostInAnyWindow(seconds: 3)
        pool.shutdown()
        transport.shutdown()
        await emulators.stop()
        return """
            IREV's limit (10 GET requests in 3 s) under a burst of \(checks) range checks at once

            | checks | GET requests sent | most sent in any 3 s | answered 429 | took |
            |---:|---:|---:|---:|---:|
            | \(checks) | \(counted.count) | \(worst) | \(refused) | \(String(format: "%.1f", seconds)) s |

            """
    }
}

/// Counts the requests a transport sends and when.
final class CountingTransport: HTTPTransport {
    let base: any HTTPTransport
    private let stamps = Mutex<[UInt64]>([])
    init(base: any HTTPTransport) { self.base = base }

    var count: Int { stamps.withLock { $0.count } }

    func perform(_ request: OutboundRequest) async -> OutboundResponse {
        stamps.withLock { $0.append(SystemClock.monotonicNanos()) }
        return await base.perform(request)
    }

    func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
        stamps.withLock { $0.append(SystemClock.monotonicNanos()) }
        base.perform(request, completion: completion)
    }

    func mostInAnyWindow(seconds: Double) -> Int {
        let all = stamps.withLock { $0 }.sorted()
        let window = UInt64(seconds * 1e9)
        var most = 0
        var start = 0
        for end in all.indices {
            while all[end] - all[start] >= window { start += 1 }
            most = max(most, end - start + 1)
        }
        return most
    }
}

/// Resident memory of this process, from /proc/self/status.
enum Memory {
    static func residentBytes() -> Int { field("VmRSS:") }
    static func peakResidentBytes() -> Int { field("VmHWM:") }

    static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }
}
