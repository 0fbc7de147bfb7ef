import Foundation
import IntegrationRuntime
import OutboundHTTP
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Throughput of `LiveTransport` alone: keeps `inFlight` GET requests outstanding through
/// the callback API until `requests` have completed.
enum TransportThroughput {
    /// Requests per second (wall clock) and CPU microseconds per request (user + system of
    /// the whole process, so an in-process server is included).
    static func measure(transport: LiveTransport, url: String, inFlight: Int, requests: Int) async -> (
        requestsPerSecond: Double, cpuMicrosPerRequest: Double
    ) {
        let request = OutboundRequest(method: "GET", url: url, timeout: 10)
        let cpuBefore = processCPUSeconds()
        let started = DispatchTime.now().uptimeNanoseconds
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let driver = Driver(transport: transport, request: request, total: requests, continuation: continuation)
            driver.launch(min(inFlight, requests))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = processCPUSeconds() - cpuBefore
        return (Double(requests) / seconds, cpu * 1e6 / Double(requests))
    }

    /// user + system CPU seconds of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Issues a new request from each completion until `total` have been issued.
    private final class Driver: Sendable {
        private struct Counts {
            var issued = 0
            var completed = 0
            var failed = 0
        }

        let transport: LiveTransport
        let request: OutboundRequest
        let total: Int
        let continuation: CheckedContinuation<Void, Never>
        private let counts = Mutex(Counts())

        init(transport: LiveTransport, request: OutboundRequest, total: Int, continuation: CheckedContinuation<Void, Never>) {
            self.transport = transport
            self.request = request
            self.total = total
            self.continuation = continuation
        }

        func launch(_ count: Int) {
            counts.withLock { $0.issued = count }
            if count == 0 { continuation.resume() }
            for _ in 0..<count { send() }
        }

        private func send() {
            transport.perform(request) { [self] response in completed(response) }
        }

        private func completed(_ response: OutboundResponse) {
            let (issueAnother, finished, failed) = counts.withLock { counts -> (Bool, Bool, Int) in
                counts.completed += 1
                if response.status != 200 { counts.failed += 1 }
                if counts.issued < total {
                    counts.issued += 1
                    return (true, false, counts.failed)
                }
                return (false, counts.completed == total, counts.failed)
            }
            if issueAnother { send() }
            if finished {
                if failed > 0 { print("TransportThroughput: \(failed) of \(total) requests failed") }
                continuation.resume()
            }
        }
    }
}
