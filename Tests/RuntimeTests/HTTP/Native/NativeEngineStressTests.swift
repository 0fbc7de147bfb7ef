import Foundation
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import Synchronization
import XCTest

/// Many requests against a server that answers every way it may (lengths, chunks, closes,
/// `Connection: close`, delays past the timeout): each request completes exactly once,
/// with its own answer or a failure, and none is lost.
final class NativeEngineStressTests: XCTestCase {
    /// One request in 50 is answered after its timeout.
    private static func isSlow(_ i: Int) -> Bool { i % 50 == 7 }

    func testEveryRequestCompletesOnceWhateverTheServerDoes() throws {
        let server = LoopbackHTTPServer { request in
            let id = request.query
            var response = LoopbackResponse(headers: [("X-Id", id)], text: "answer \(id)")
            let n = Int(id) ?? 0
            switch n % 7 {
            case 1: response.chunked = true
            case 2: response.closeDelimited = true
            case 3: response.headers.append(("Connection", "close"))
            case 4: response.delay = 0.003
            default: break
            }
            if Self.isSlow(n) { response.delay = 3 }  // past the request's timeout
            return response
        }
        try server.start()
        defer { server.stop() }
        let transport = LiveTransport(
            configuration: .init(maxConnectionsPerHost: 24, engine: .native, egressPolicy: .allowingLocalNetworks))
        defer { transport.shutdown() }
        let total = 2_000
        let completions = Mutex([Int](repeating: 0, count: total))
        let wrong = Mutex<[String]>([])
        let done = expectation(description: "every request completed")
        done.expectedFulfillmentCount = total
        let next = Atomic<Int>(0)
        @Sendable func send() {
            let i = next.add(1, ordering: .relaxed).newValue - 1
            guard i < total else { return }
            let method = i % 3 == 0 ? "POST" : "GET"
            transport.perform(
                OutboundRequest(
                    method: method, url: server.url("/s?\(i)"), body: method == "POST" ? [1, 2, 3] : [],
                    timeout: 1)
            ) { response in
                completions.withLock { $0[i] += 1 }
                let timedOut = Self.isSlow(i)
                let ok =
                    timedOut
                    ? response.failure == .timeout
                    : response.status == 200 && String(decoding: response.body, as: UTF8.self) == "answer \(i)"
                if !ok {
                    wrong.withLock {
                        $0.append("\(i): \(response.status) \(response.failure?.rawValue ?? "") \(response.failureDetail ?? "")")
                    }
                }
                done.fulfill()
                send()
            }
        }
        for _ in 0..<64 { send() }
        wait(for: [done], timeout: 60)
        XCTAssertEqual(completions.withLock { $0.filter { $0 != 1 }.count }, 0, "a request completed never or twice")
        XCTAssertEqual(wrong.withLock { $0 }, [])
    }
}
