import Dispatch
import Host
import IntegrationRuntime
import LeadJSON
import OutboundHTTP
import Synchronization
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A call submitted from a call's completion (on a worker's thread) runs on that worker.
final class IntegrationPoolLocalityTests: XCTestCase {
    /// Records which thread asked for each lead's request, then answers with its body.
    private final class ThreadRecordingTransport: HTTPTransport {
        let threads = Mutex<[String: pthread_t]>([:])

        func perform(_ request: OutboundRequest) async -> OutboundResponse {
            await withCheckedContinuation { continuation in perform(request) { continuation.resume(returning: $0) } }
        }

        func perform(_ request: OutboundRequest, completion: @escaping @Sendable (OutboundResponse) -> Void) {
            let id = (try? JSONValue.parse(String(decoding: request.body, as: UTF8.self)))?["id"]?.stringValue ?? "?"
            threads.withLock { $0[id] = pthread_self() }
            let response = OutboundResponse(status: 200, headers: [("content-type", "application/json")], body: request.body)
            DispatchQueue.global().async { completion(response) }
        }
    }

    func testACallSubmittedFromACompletionStaysOnItsWorker() throws {
        let transport = ThreadRecordingTransport()
        let pool = try IntegrationPoolTests.pool(transport: transport, workers: 4)
        defer { pool.shutdown() }
        let chains = 20
        let done = expectation(description: "both calls of every chain")
        done.expectedFulfillmentCount = chains
        for i in 0..<chains {
            pool.submit(CallInput(action: .push, lead: IntegrationPoolTests.lead("A\(i)"), now: 1000)) { first in
                XCTAssertEqual(first.outcome?.kind, .accepted)
                pool.submit(CallInput(action: .push, lead: IntegrationPoolTests.lead("B\(i)"), now: 1000)) { second in
                    XCTAssertEqual(second.outcome?.kind, .accepted)
                    done.fulfill()
                }
            }
        }
        wait(for: [done], timeout: 10)
        let threads = transport.threads.withLock { $0 }
        XCTAssertEqual(
            Set((0..<chains).map { threads["A\($0)"].map { UInt($0) } ?? 0 }).count, 4, "the first calls spread over the 4 workers")
        for i in 0..<chains {
            XCTAssertEqual(threads["A\(i)"].map { UInt($0) }, threads["B\(i)"].map { UInt($0) }, "chain \(i) changed workers")
        }
    }
}
