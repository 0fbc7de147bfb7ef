import Foundation
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import Synchronization
import XCTest

/// `LiveTransport` under load, connection reuse, the callback API and shutdown.
final class LiveTransportConcurrencyTests: XCTestCase {
    func testFiveHundredConcurrentRequestsEachGetTheirOwnAnswer() async throws {
        try await onEachEngine { engine in
            let server = LoopbackHTTPServer { request in
                LoopbackResponse(headers: [("X-Echo", request.query)], body: request.body, delay: 0.1)
            }
            try server.start()
            defer { server.stop() }
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            let started = Date()
            let mismatches = await withTaskGroup(of: Int.self) { group in
                for i in 0..<500 {
                    group.addTask {
                        let body = Array("lead-\(i)".utf8)
                        let response = await transport.perform(OutboundRequest(url: server.url("/post?i=\(i)"), body: body))
                        let ok =
                            response.status == 200 && response.body == body
                            && response.headers.first { $0.name == "x-echo" }?.value == "i=\(i)"
                        return ok ? 0 : 1
                    }
                }
                return await group.reduce(0, +)
            }
            XCTAssertEqual(mismatches, 0)
            XCTAssertLessThan(Date().timeIntervalSince(started), 2)
            XCTAssertEqual(server.requestsServed, 500)
        }
    }

    func testSequentialRequestsReuseConnections() async throws {
        try await onEachEngine { engine in
            let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "ok") }
            try server.start()
            defer { server.stop() }
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            for i in 0..<100 {
                let response = await transport.perform(
                    OutboundRequest(method: i % 2 == 0 ? "GET" : "POST", url: server.url("/k"), body: i % 2 == 0 ? [] : [1, 2]))
                XCTAssertEqual(response.status, 200)
            }
            XCTAssertEqual(server.requestsServed, 100)
            XCTAssertLessThanOrEqual(server.connectionsAccepted, 2)
        }
    }

    func testCallbackAPI() throws {
        try onEachEngine { engine in
            let server = LoopbackHTTPServer { LoopbackResponse(status: 202, text: $0.path) }
            try server.start()
            defer { server.stop() }
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            let done = expectation(description: "completions")
            done.expectedFulfillmentCount = 20
            let bodies = Mutex<[Int: String]>([:])
            for i in 0..<20 {
                transport.perform(OutboundRequest(method: "GET", url: server.url("/cb\(i)"))) { response in
                    bodies.withLock { $0[i] = "\(response.status) \(String(decoding: response.body, as: UTF8.self))" }
                    done.fulfill()
                }
            }
            wait(for: [done], timeout: 5)
            bodies.withLock { got in
                for i in 0..<20 { XCTAssertEqual(got[i], "202 /cb\(i)") }
            }
        }
    }

    func testShutdownFailsPendingAndLaterRequests() async throws {
        try await onEachEngine { engine in
            let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "late", delay: 5) }
            try server.start()
            defer { server.stop() }
            let transport = LiveTransport(
                configuration: .init(maxConnectionsPerHost: 2, engine: engine, egressPolicy: .allowingLocalNetworks))
            let results = Mutex<[OutboundResponse]>([])
            let done = expectation(description: "all complete")
            done.expectedFulfillmentCount = 10
            for _ in 0..<10 {
                transport.perform(OutboundRequest(method: "GET", url: server.url("/"), timeout: 30)) { response in
                    results.withLock { $0.append(response) }
                    done.fulfill()
                }
            }
            try await Task.sleep(nanoseconds: 200_000_000)
            let started = Date()
            transport.shutdown()
            await fulfillment(of: [done], timeout: 2)
            XCTAssertLessThan(Date().timeIntervalSince(started), 1)
            results.withLock { all in
                XCTAssertEqual(all.count, 10)
                XCTAssertTrue(all.allSatisfy { $0.failure == .other && $0.failureDetail == "transport shut down" })
            }
            let after = await transport.perform(OutboundRequest(method: "GET", url: server.url("/")))
            XCTAssertEqual(after.failure, .other)
            XCTAssertEqual(after.failureDetail, "transport shut down")
        }
    }

    func testReleasingTheTransportCompletesItsRequests() throws {
        try onEachEngine { engine in
            let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "late", delay: 5) }
            try server.start()
            defer { server.stop() }
            let done = expectation(description: "completed on deinit")
            let detail = Mutex<String?>(nil)
            do {
                let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
                transport.perform(OutboundRequest(method: "GET", url: server.url("/"))) { response in
                    detail.withLock { $0 = response.failureDetail }
                    done.fulfill()
                }
            }
            wait(for: [done], timeout: 2)
            XCTAssertEqual(detail.withLock { $0 }, "transport shut down")
        }
    }
}
