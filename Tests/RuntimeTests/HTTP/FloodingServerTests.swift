import Foundation
import LoopbackTesting
import Synchronization
import XCTest

@testable import IntegrationRuntime
@testable import OutboundHTTP

/// A server that floods its answer (endless trailer, interim answers, chunk extension or
/// head) cannot pin the transport's I/O thread: requests to another server complete while
/// the flood goes on, and the flooded request ends at a cap of the response's framing (or
/// at its deadline), having read a bounded amount.
final class FloodingServerTests: XCTestCase {
    /// Head, repeated unit, the failure's detail at the cap, and libcurl's when it differs
    /// (nil: libcurl reads on until the request's deadline).
    static let floods: [(label: String, head: String, unit: String, cap: String, curl: String??)] = [
        (
            "an endless trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", "X-Flood: aaaaaaaaaaaaaaaa\r\n",
            "the response's trailer is larger than 64 KiB", .none
        ),
        (
            "carriage returns in the trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", "\r",
            "the response's trailer is larger than 64 KiB", "Malformed encoding found in chunked-encoding"
        ),
        ("endless interim answers", "", "HTTP/1.1 100 Continue\r\n\r\n", "the server sent more than 16 interim (1xx) answers", .none),
        (
            "103 answers with headers", "", "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n",
            "the server sent more than 16 interim (1xx) answers", .none
        ),
        (
            "an endless chunk extension", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;", "a",
            "the response's chunk extensions are larger than 64 KiB", .some(nil)
        ),
        ("an endless head", "HTTP/1.1 200 OK\r\n", "X-Flood: aaaaaaaaaaaaaaaa\r\n", "the response head is larger than 64 KiB", .none),
    ]

    /// Generous for a loaded machine under AddressSanitizer: nothing here waits this long
    /// unless the I/O thread is pinned.
    static let patience: TimeInterval = 30

    func testAFloodEndsAtItsCapWhileOtherRequestsAreServed() async throws {
        try await onEachEngine { engine in
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            for (label, head, unit, cap, curl) in Self.floods {
                let flood = try FloodingServer(head: head, unit: unit)
                defer { flood.stop() }
                let run = try await exchange(with: flood, timeout: 3, on: transport)
                XCTAssertEqual(run.failedNormalRequests, [], label)
                let flooded = run.flooded
                XCTAssertEqual(flooded.status, 0, label)
                switch (engine, curl) {
                case (.curl, .some(nil)):
                    // libcurl skips chunk extensions without a cap: read on (its loop still serves
                    // the other transfers) until the deadline.
                    XCTAssertEqual(flooded.failure, .timeout, "\(label): \(flooded.failureDetail ?? "")")
                case (.curl, .some(let own?)):
                    XCTAssertEqual(flooded.failure, .other, label)
                    XCTAssertEqual(flooded.failureDetail, own, label)
                default:
                    XCTAssertEqual(flooded.failure, .other, label)
                    XCTAssertEqual(flooded.failureDetail, cap, label)
                    // At the cap the client hangs up: the server wrote what the socket buffers held.
                    XCTAssertLessThan(flood.bytesSent, 64 << 20, "\(label): the flood was read on and on")
                }
            }
        }
    }

    /// With the caps out of the way the flood goes on and on: the I/O thread still returns
    /// to its other connections after a bounded read (they are answered while the flood
    /// runs), and it sees the flooded request's deadline.
    func testWithoutCapsAFloodNeitherStarvesOthersNorOutlivesItsDeadline() async throws {
        var configuration = LiveTransport.Configuration(engine: .native, egressPolicy: .allowingLocalNetworks)
        configuration.responseLimits.trailerBytes = .max
        let transport = LiveTransport(configuration: configuration)
        defer { transport.shutdown() }
        let (_, head, unit, _, _) = Self.floods[0]
        let endless = try FloodingServer(head: head, unit: unit)
        defer { endless.stop() }
        let run = try await exchange(with: endless, timeout: 2 * Self.patience, on: transport, stoppingTheFlood: true)
        XCTAssertEqual(run.failedNormalRequests, [])
        XCTAssertTrue(run.normalRequestsEndedFirst, "the other requests waited for the flood to end")
        XCTAssertEqual(run.flooded.failureDetail, "the server closed the connection in the middle of the response")

        let timed = try FloodingServer(head: head, unit: unit)
        defer { timed.stop() }
        let timedRun = try await exchange(with: timed, timeout: 1, on: transport)
        XCTAssertEqual(timedRun.failedNormalRequests, [])
        XCTAssertEqual(timedRun.flooded.failure, .timeout, timedRun.flooded.failureDetail ?? "")
    }

    struct FloodRun {
        var flooded: OutboundResponse
        /// Requests to a well-behaved server that did not get their answer.
        var failedNormalRequests: [String]
        /// All of them were answered before the flooded request ended.
        var normalRequestsEndedFirst: Bool
    }

    /// Sends a request to `flood` and, once the flood has filled the socket buffers several
    /// times over (or ended), 20 requests one after another to a well-behaved server.
    /// With `stoppingTheFlood`, the flood is stopped once the other requests are answered.
    private func exchange(
        with flood: FloodingServer, timeout: Double, on transport: LiveTransport,
        stoppingTheFlood: Bool = false
    ) async throws -> FloodRun {
        let normal = LoopbackHTTPServer { LoopbackResponse(text: "fine \($0.path)") }
        try normal.start()
        defer { normal.stop() }
        let seen = FloodObservation()
        transport.perform(OutboundRequest(method: "GET", url: flood.url("/flood"), timeout: timeout)) { response in
            seen.flooded.withLock { $0 = response }
        }
        _ = await waitUntil { flood.bytesSent >= 8 << 20 || seen.floodEnded }
        Task {
            var failed: [String] = []
            for i in 0..<20 {
                let response = await transport.perform(OutboundRequest(method: "GET", url: normal.url("/\(i)"), timeout: 30))
                if String(decoding: response.body, as: UTF8.self) != "fine /\(i)" {
                    failed.append("/\(i): \(response.status) \(response.failureDetail ?? "")")
                }
            }
            seen.normalEndedFirst.withLock { $0 = !seen.floodEnded }
            seen.normalFailures.withLock { $0 = failed }
        }
        // A pinned I/O thread only lets go once the flood stops.
        if await !waitUntil({ seen.normalEnded }) {
            XCTFail("the other requests were not answered within \(Self.patience) s of a flood")
            flood.stop()
        }
        if stoppingTheFlood { flood.stop() }
        if await !waitUntil({ seen.floodEnded }) {
            XCTFail("the flooded request did not end within \(Self.patience) s")
            flood.stop()
        }
        _ = await waitUntil { seen.floodEnded && seen.normalEnded }
        return FloodRun(
            flooded: seen.flooded.withLock { $0 } ?? .failed(.other, detail: "no answer"),
            failedNormalRequests: seen.normalFailures.withLock { $0 } ?? ["no answer"],
            normalRequestsEndedFirst: seen.normalEndedFirst.withLock { $0 })
    }

    /// Whether `condition` held within `patience`, looking every 5 ms.
    private func waitUntil(_ condition: () -> Bool) async -> Bool {
        let started = Date()
        while !condition() {
            guard Date().timeIntervalSince(started) < Self.patience else { return false }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return true
    }
}

/// What one flood run saw, written from the transport's thread and a task.
private final class FloodObservation: Sendable {
    let flooded = Mutex<OutboundResponse?>(nil)
    let normalFailures = Mutex<[String]?>(nil)
    let normalEndedFirst = Mutex(false)

    var floodEnded: Bool { flooded.withLock { $0 != nil } }
    var normalEnded: Bool { normalFailures.withLock { $0 != nil } }
}
