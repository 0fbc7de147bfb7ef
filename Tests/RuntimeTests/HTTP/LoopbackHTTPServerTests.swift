import Foundation
import LoopbackTesting
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The loopback server on its own, through raw sockets (no libcurl).
final class LoopbackHTTPServerTests: XCTestCase {
    func testAnswersARequestWithItsParts() throws {
        let server = LoopbackHTTPServer { request in
            let echo = "\(request.method) \(request.path) \(request.query) \(request.header("x-token") ?? "-") \(request.body.count)"
            return LoopbackResponse(status: 201, headers: [("X-Echo", "yes")], text: echo)
        }
        try server.start()
        defer { server.stop() }
        XCTAssertGreaterThan(server.port, 0)
        let client = try RawClient(port: server.port)
        let reply = try client.exchange("POST /leads?a=1&b=2 HTTP/1.1\r\nHost: x\r\nX-Token: t1\r\nContent-Length: 5\r\n\r\nhello")
        XCTAssertTrue(reply.hasPrefix("HTTP/1.1 201 Created\r\n"), reply)
        XCTAssertTrue(reply.contains("X-Echo: yes\r\n"), reply)
        XCTAssertTrue(reply.hasSuffix("\r\n\r\nPOST /leads a=1&b=2 t1 5"), reply)
        XCTAssertEqual(server.requestsServed, 1)
    }

    func testKeepAliveServesManyRequestsOnOneConnection() throws {
        let server = LoopbackHTTPServer { LoopbackResponse(text: $0.path) }
        try server.start()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        for i in 0..<10 {
            let reply = try client.exchange("GET /n\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertTrue(reply.hasSuffix("\r\n\r\n/n\(i)"), reply)
        }
        XCTAssertEqual(server.connectionsAccepted, 1)
        XCTAssertEqual(server.requestsServed, 10)
    }

    func testConnectionCloseIsHonoured() throws {
        let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "bye") }
        try server.start()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        let reply = try client.exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(reply.contains("Connection: close\r\n"), reply)
        XCTAssertEqual(try client.readToEnd(), "", "server should close after answering")
    }

    func testDelayedResponseDoesNotBlockOtherConnections() throws {
        let server = LoopbackHTTPServer { request in
            LoopbackResponse(text: request.path, delay: request.path == "/slow" ? 1.0 : 0)
        }
        try server.start()
        defer { server.stop() }
        let slow = try RawClient(port: server.port)
        try slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        let started = Date()
        let fast = try RawClient(port: server.port)
        let reply = try fast.exchange("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(reply.hasSuffix("/fast"), reply)
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertTrue(try slow.receiveResponse().hasSuffix("/slow"))
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.9)
    }

    func testStopClosesTheListeningSocket() throws {
        let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "x") }
        try server.start()
        let port = server.port
        server.stop()
        XCTAssertThrowsError(try RawClient(port: port))
    }
}

/// A blocking TCP client for checking the server byte by byte.
final class RawClient {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
    }

    /// Reads one response whose body length is given by Content-Length.
    func receiveResponse() throws -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let text = String(bytes: received, encoding: .utf8), let end = text.range(of: "\r\n\r\n") {
                let head = text[..<end.lowerBound].lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text.utf8.distance(from: text.startIndex, to: end.upperBound) >= length { return text }
            }
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { throw POSIXError(.ETIMEDOUT) }
            received += buffer[0..<n]
        }
    }

    func exchange(_ request: String) throws -> String {
        try send(request)
        return try receiveResponse()
    }

    func readToEnd() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received: [UInt8] = []
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n == 0 { return String(decoding: received, as: UTF8.self) }
            guard n > 0 else { throw POSIXError(.ETIMEDOUT) }
            received += buffer[0..<n]
        }
    }
}
