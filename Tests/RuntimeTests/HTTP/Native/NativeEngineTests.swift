import Foundation
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import Synchronization
import XCTest

/// What only the native engine does itself: reusing and retrying kept-alive connections,
/// resolving names, sharing connections under the limits, waiting for one.
final class NativeEngineTests: XCTestCase {
    private func transport(_ configure: (inout LiveTransport.Configuration) -> Void = { _ in }) -> LiveTransport {
        var configuration = LiveTransport.Configuration(engine: .native, egressPolicy: .allowingLocalNetworks)
        configure(&configuration)
        return LiveTransport(configuration: configuration)
    }

    func testAKeptAliveConnectionDroppedUnderARequestIsRetriedOnceOnAFreshOne() async throws {
        let server = try ScriptedServer([
            { socket in
                socket.readRequest()
                socket.answer("first")
                socket.readRequest()  // then closes without answering, as a server timing out an idle connection does
            },
            { socket in
                socket.readRequest()
                socket.answer("second")
            },
        ])
        defer { server.stop() }
        let transport = transport()
        defer { transport.shutdown() }
        let first = await transport.perform(OutboundRequest(method: "GET", url: server.url("/1")))
        XCTAssertEqual(String(decoding: first.body, as: UTF8.self), "first", first.failureDetail ?? "")
        let second = await transport.perform(OutboundRequest(method: "POST", url: server.url("/2"), body: [1]))
        XCTAssertNil(second.failure, second.failureDetail ?? "")
        XCTAssertEqual(String(decoding: second.body, as: UTF8.self), "second")
        XCTAssertEqual(server.connectionsAccepted, 2)
    }

    func testAFreshConnectionClosedWithoutAnswerIsNotRetried() async throws {
        let server = try ScriptedServer([{ socket in socket.readRequest() }, { socket in socket.answer("never asked") }])
        defer { server.stop() }
        let transport = transport()
        defer { transport.shutdown() }
        let response = await transport.perform(OutboundRequest(method: "POST", url: server.url("/"), body: [1]))
        XCTAssertEqual(response.failure, .other)
        XCTAssertEqual(response.failureDetail, "the server closed the connection without answering")
        XCTAssertEqual(server.connectionsAccepted, 1)
    }

    func testAResponseCutShortFails() async throws {
        let server = try ScriptedServer([
            { socket in
                socket.readRequest()
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
            }
        ])
        defer { server.stop() }
        let transport = transport()
        defer { transport.shutdown() }
        let response = await transport.perform(OutboundRequest(method: "GET", url: server.url("/")))
        XCTAssertEqual(response.failure, .other)
        XCTAssertEqual(response.failureDetail, "the server closed the connection in the middle of the response")
    }

    func testHostNamesAreResolvedOffTheLoop() async throws {
        let server = LoopbackHTTPServer { LoopbackResponse(text: $0.header("host") ?? "") }
        try server.start()
        defer { server.stop() }
        let transport = transport()
        defer { transport.shutdown() }
        for _ in 0..<3 {
            let response = await transport.perform(OutboundRequest(method: "GET", url: "http://localhost:\(server.port)/"))
            XCTAssertEqual(response.status, 200, response.failureDetail ?? "")
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "localhost:\(server.port)")
        }
        XCTAssertEqual(server.connectionsAccepted, 1)
    }

    func testTheTotalLimitIsSharedBetweenOrigins() async throws {
        let servers = (0..<2).map { _ in LoopbackHTTPServer { LoopbackResponse(text: $0.path, delay: 0.02) } }
        for server in servers { try server.start() }
        defer { for server in servers { server.stop() } }
        let transport = transport {
            $0.maxConnectionsPerHost = 3
            $0.maxTotalConnections = 2
        }
        defer { transport.shutdown() }
        let wrong = await withTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask {
                    let response = await transport.perform(OutboundRequest(method: "GET", url: servers[i % 2].url("/\(i)"), timeout: 10))
                    return String(decoding: response.body, as: UTF8.self) == "/\(i)" ? 0 : 1
                }
            }
            return await group.reduce(0, +)
        }
        XCTAssertEqual(wrong, 0)
        XCTAssertEqual(servers.map(\.requestsServed), [20, 20])
    }

    /// Under the total limit, waiting origins are served in the order their requests came:
    /// a busy origin that keeps adding requests does not keep the connection to itself.
    func testABusyOriginDoesNotStarveAnotherUnderTheTotalLimit() async throws {
        let busy = LoopbackHTTPServer { _ in LoopbackResponse(text: "busy", delay: 0.005) }
        let quiet = LoopbackHTTPServer { _ in LoopbackResponse(text: "quiet") }
        for server in [busy, quiet] { try server.start() }
        defer { for server in [busy, quiet] { server.stop() } }
        let transport = transport {
            $0.maxConnectionsPerHost = 4
            $0.maxTotalConnections = 1
        }
        defer { transport.shutdown() }
        let order = Mutex<[String]>([])
        let done = expectation(description: "all answered")
        done.expectedFulfillmentCount = 61
        func send(_ label: String, _ url: String) {
            transport.perform(OutboundRequest(method: "GET", url: url, timeout: 10)) { response in
                order.withLock {
                    $0.append(response.status == 200 ? label : "failed \(response.failure?.rawValue ?? "") \(response.failureDetail ?? "")")
                }
                done.fulfill()
            }
        }
        for i in 0..<30 { send("first wave", busy.url("/a\(i)")) }
        try await Task.sleep(nanoseconds: 20_000_000)
        send("quiet", quiet.url("/"))
        try await Task.sleep(nanoseconds: 5_000_000)
        for i in 0..<30 { send("second wave", busy.url("/b\(i)")) }
        await fulfillment(of: [done], timeout: 10)
        let answered = order.withLock { $0 }
        XCTAssertFalse(answered.contains { $0.hasPrefix("failed") }, "\(answered)")
        let quietAt = try XCTUnwrap(answered.firstIndex(of: "quiet"))
        let secondWaveAt = try XCTUnwrap(answered.firstIndex(of: "second wave"))
        XCTAssertLessThan(quietAt, secondWaveAt, "the quiet origin waited behind later requests of the busy one: \(answered)")
    }

    func testTimeoutsWhileWaitingForAConnectionAndForTheAnswer() async throws {
        let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "late", delay: 1) }
        try server.start()
        defer { server.stop() }
        let transport = transport { $0.maxConnectionsPerHost = 1 }
        defer { transport.shutdown() }
        async let first = transport.perform(OutboundRequest(method: "GET", url: server.url("/a"), timeout: 0.3))
        try await Task.sleep(nanoseconds: 20_000_000)
        async let second = transport.perform(OutboundRequest(method: "GET", url: server.url("/b"), timeout: 0.2))
        let (a, b) = await (first, second)
        XCTAssertEqual(a.failure, .timeout)
        XCTAssertEqual(a.failureDetail, "no complete answer from 127.0.0.1 within 0.3 s")
        XCTAssertEqual(b.failure, .timeout)
        XCTAssertEqual(b.failureDetail, "no connection to 127.0.0.1 became free within 0.2 s")
        XCTAssertLessThan(b.elapsed, 0.5)
    }

    func testUnresolvableHostIsADNSFailure() async {
        let transport = transport()
        defer { transport.shutdown() }
        // A 64-byte label cannot go into a DNS query (63 at most): glibc refuses the name
        // itself, so the test sends nothing to a name server (checked with strace).
        let host = String(repeating: "a", count: 64) + ".test"
        let response = await transport.perform(OutboundRequest(method: "GET", url: "http://\(host)/", timeout: 5))
        XCTAssertEqual(response.failure, .dns, response.failureDetail ?? "")
        XCTAssertTrue(response.failureDetail?.contains("could not resolve host \(host)") ?? false, response.failureDetail ?? "")
    }
}

extension NativeEngineTests {
    /// OpenSSL writes with plain `write`: a peer that closed would raise SIGPIPE and end the
    /// process, unless the I/O thread blocks it (read from /proc: the thread's `SigBlk`).
    func testTheIOThreadBlocksSIGPIPE() throws {
        let transport = transport()
        defer { transport.shutdown() }
        var mask: UInt64?
        for _ in 0..<50 where mask == nil {
            for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
                let comm = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
                guard comm.trimmingCharacters(in: .whitespacesAndNewlines) == "leadrelay-http",
                    let status = try? String(contentsOfFile: "/proc/self/task/\(task)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") })
                else { continue }
                mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16)
            }
            if mask == nil { usleep(10_000) }
        }
        let blocked = try XCTUnwrap(mask, "no thread named leadrelay-http")
        XCTAssertNotEqual(blocked & (1 << (UInt64(SIGPIPE) - 1)), 0, "SIGPIPE is not blocked on the I/O thread")
    }
}
