import Foundation
import Host
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import Synchronization

/// Leads per second delivered through a real script, an `IntegrationPool` and
/// `LiveTransport` to an instant loopback endpoint, keeping `inFlight` leads outstanding.
enum DeliveryThroughput {
    struct Result {
        var leadsPerSecond: Double
        /// CPU of the whole process per lead, and the same without the in-process server.
        var cpuMicrosPerLead: Double
        var cpuMicrosPerLeadWithoutServer: Double
        /// Of that, the transport's I/O thread and the pool's VM workers (per-thread CPU
        /// from /proc, 10 ms resolution).
        var ioThreadMicrosPerLead: Double
        var workerMicrosPerLead: Double
        var failures: Int
    }

    /// Thread-name prefixes: the two engines' I/O threads and the VM workers (`vm<i>-<name>`).
    static let threadGroups = ["leadrelay-http", "leadrelay-curl", "vm"]

    static func measure(
        pool: IntegrationPool, input: @escaping @Sendable (Int) -> CallInput, server: LoopbackHTTPServer,
        inFlight: Int, leads: Int
    ) async -> Result {
        let cpuBefore = TransportThroughput.processCPUSeconds()
        let serverBefore = server.threadCPUSeconds
        let threadsBefore = ThreadCPU.byGroup(threadGroups)
        let started = SystemClock.monotonicNanos()
        let failures = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            Driver(pool: pool, input: input, total: leads, continuation: continuation).launch(min(inFlight, leads))
        }
        let seconds = Double(SystemClock.monotonicNanos() - started) / 1e9
        let cpu = TransportThroughput.processCPUSeconds() - cpuBefore
        let serverCPU = server.threadCPUSeconds - serverBefore
        let threadsAfter = ThreadCPU.byGroup(threadGroups)
        func perLead(_ groups: [String]) -> Double {
            groups.reduce(0) { $0 + (threadsAfter[$1] ?? 0) - (threadsBefore[$1] ?? 0) } * 1e6 / Double(leads)
        }
        return Result(
            leadsPerSecond: Double(leads) / seconds, cpuMicrosPerLead: cpu * 1e6 / Double(leads),
            cpuMicrosPerLeadWithoutServer: (cpu - serverCPU) * 1e6 / Double(leads),
            ioThreadMicrosPerLead: perLead(["leadrelay-http", "leadrelay-curl"]),
            workerMicrosPerLead: perLead(["vm"]), failures: failures)
    }

    /// Submits a new lead from each completion until `total` have been submitted.
    private final class Driver: Sendable {
        struct Counts {
            var issued = 0
            var completed = 0
            var failed = 0
        }

        let pool: IntegrationPool
        let input: @Sendable (Int) -> CallInput
        let total: Int
        let continuation: CheckedContinuation<Int, Never>
        let counts = Mutex(Counts())

        init(
            pool: IntegrationPool, input: @escaping @Sendable (Int) -> CallInput, total: Int, continuation: CheckedContinuation<Int, Never>
        ) {
            self.pool = pool
            self.input = input
            self.total = total
            self.continuation = continuation
        }

        func launch(_ count: Int) {
            counts.withLock { $0.issued = count }
            for i in 0..<count { submit(i) }
        }

        func submit(_ i: Int) {
            pool.submit(input(i)) { [self] result in
                let accepted = result.outcome?.kind == .accepted
                let (next, done, failed) = counts.withLock { c -> (Int?, Bool, Int) in
                    c.completed += 1
                    if !accepted { c.failed += 1 }
                    if c.issued < total {
                        c.issued += 1
                        return (c.issued - 1, false, c.failed)
                    }
                    return (nil, c.completed == total, c.failed)
                }
                if let next { submit(next) }
                if done { continuation.resume(returning: failed) }
            }
        }
    }
}
