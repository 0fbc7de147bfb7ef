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

    func testChunkedResponseWireFormat() throws {
        let body = (0..<2500).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let server = LoopbackHTTPServer { request in
            var response = LoopbackResponse(headers: [("X-Kind", "chunks")], body: request.path == "/empty" ? [] : body)
            response.chunked = true
            response.chunkExtension = request.path == "/extras"
            response.trailer = request.path == "/extras"
            return response
        }
        try server.start()
        defer { server.stop() }

        let plain = try RawClient(port: server.port)
        try plain.send("GET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let (head, wire) = try splitHead(plain.readToEnd())
        XCTAssertEqual(head, "HTTP/1.1 200 OK\r\nX-Kind: chunks\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        let (a, b, c) = (Array(body[0..<1000]), Array(body[1000..<2000]), Array(body[2000...]))
        XCTAssertEqual(
            wire, Array("3e8\r\n".utf8) + a + Array("\r\n3e8\r\n".utf8) + b + Array("\r\n1f4\r\n".utf8) + c + Array("\r\n0\r\n\r\n".utf8))
        XCTAssertEqual(try dechunk(wire), body)

        let extras = try RawClient(port: server.port)
        try extras.send("GET /extras HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let (_, extrasWire) = try splitHead(extras.readToEnd())
        XCTAssertEqual(Array(extrasWire.prefix(11)), Array("3e8;ext=1\r\n".utf8))
        XCTAssertEqual(Array(extrasWire.suffix(23)), Array("\r\n0\r\nX-Trailer: yes\r\n\r\n".utf8))
        XCTAssertEqual(try dechunk(extrasWire), body)

        let empty = try RawClient(port: server.port)
        try empty.send("GET /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let (emptyHead, emptyWire) = try splitHead(empty.readToEnd())
        XCTAssertTrue(emptyHead.contains("Transfer-Encoding: chunked\r\n"), emptyHead)
        XCTAssertEqual(emptyWire, Array("0\r\n\r\n".utf8))
    }

    /// The head (through its blank line) and the bytes after it.
    private func splitHead(_ text: String) throws -> (head: String, rest: [UInt8]) {
        let end = try XCTUnwrap(text.range(of: "\r\n\r\n"), text)
        return (String(text[..<end.upperBound]), Array(text[end.upperBound...].utf8))
    }

    func testStopClosesTheListeningSocket() throws {
        let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "x") }
        try server.start()
        let port = server.port
        server.stop()
        XCTAssertThrowsError(try RawClient(port: port))
    }
}

/// Undoes `Transfer-Encoding: chunked`: the data of every chunk, up to the last (`0`) one.
func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
    var data: [UInt8] = []
    var index = 0
    while true {
        guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else {
            throw POSIXError(.EBADMSG)
        }
        let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText, radix: 16), lineEnd + 2 + size <= bytes.count else { throw POSIXError(.EBADMSG) }
        if size == 0 { return data }
        data += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
        index = lineEnd + 2 + size + 2
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
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
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
