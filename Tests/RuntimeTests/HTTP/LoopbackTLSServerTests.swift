import COpenSSL
import COpenSSLHost
import Foundation
import LoopbackTesting
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The loopback HTTPS server, through a small blocking OpenSSL client that trusts only the
/// server's `TestCertificate`.
final class LoopbackTLSServerTests: XCTestCase {
    private func echoServer(_ certificate: TestCertificate) throws -> LoopbackTLSServer {
        let server = LoopbackTLSServer(certificate: certificate) { request in
            let echo =
                "\(request.method) \(request.path) \(request.header("x-token") ?? "-") \(String(decoding: request.body, as: UTF8.self))"
            return LoopbackResponse(status: request.method == "POST" ? 201 : 200, headers: [("X-Echo", "yes")], text: echo)
        }
        try server.start()
        return server
    }

    func testGetAndPostOnOneVerifiedKeepAliveConnection() throws {
        let certificate = try TestCertificate.make()
        let server = try echoServer(certificate)
        defer { server.stop() }
        XCTAssertGreaterThan(server.port, 0)
        XCTAssertEqual(server.url("/a"), "https://127.0.0.1:\(server.port)/a")
        XCTAssertEqual(server.url(host: "localhost", path: "/b"), "https://localhost:\(server.port)/b")

        let client = try TLSTestClient.connect(port: server.port, trusting: certificate, host: "localhost")
        XCTAssertEqual(client.verifyResult, Int(X509_V_OK))
        let get = try client.exchange("GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Token: t1\r\n\r\n")
        XCTAssertTrue(get.head.hasPrefix("HTTP/1.1 200 OK\r\n"), get.head)
        XCTAssertTrue(get.head.contains("X-Echo: yes\r\n"), get.head)
        XCTAssertEqual(get.text, "GET /hello t1 ")
        let post = try client.exchange("POST /leads HTTP/1.1\r\nHost: localhost\r\nContent-Length: 8\r\n\r\nname=Ann")
        XCTAssertTrue(post.head.hasPrefix("HTTP/1.1 201 Created\r\n"), post.head)
        XCTAssertEqual(post.text, "POST /leads - name=Ann")
        XCTAssertEqual(server.connectionsAccepted, 1)
        XCTAssertEqual(server.handshakesCompleted, 1)
        XCTAssertEqual(server.requestsServed, 2)
    }

    func testCertificateAlsoVerifiesForTheLoopbackAddress() throws {
        let certificate = try TestCertificate.make()
        let server = try echoServer(certificate)
        defer { server.stop() }
        let client = try TLSTestClient.connect(port: server.port, trusting: certificate, ip: "127.0.0.1")
        XCTAssertEqual(try client.exchange("GET /ip HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").text, "GET /ip - ")
    }

    func testWrongHostNameFailsVerificationAndServerKeepsServing() throws {
        let certificate = try TestCertificate.make()
        let server = try echoServer(certificate)
        defer { server.stop() }
        XCTAssertThrowsError(try TLSTestClient.connect(port: server.port, trusting: certificate, host: "other.example")) { error in
            XCTAssertEqual((error as? TLSTestClient.HandshakeFailed)?.verifyResult, Int(X509_V_ERR_HOSTNAME_MISMATCH), "\(error)")
        }
        let good = try TLSTestClient.connect(port: server.port, trusting: certificate, host: "localhost")
        XCTAssertEqual(try good.exchange("GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n").text, "GET /after - ")
        XCTAssertEqual(server.connectionsAccepted, 2)
        XCTAssertEqual(server.handshakesCompleted, 1, "the rejected handshake must not count")
    }

    func testAnotherCertificateAsTrustAnchorFailsVerification() throws {
        let server = try echoServer(try TestCertificate.make())
        defer { server.stop() }
        let stranger = try TestCertificate.make()
        XCTAssertThrowsError(try TLSTestClient.connect(port: server.port, trusting: stranger, host: "localhost")) { error in
            let result = (error as? TLSTestClient.HandshakeFailed)?.verifyResult
            XCTAssertNotNil(result, "\(error)")
            XCTAssertNotEqual(result, Int(X509_V_OK))
        }
        XCTAssertEqual(server.handshakesCompleted, 0)
    }

    func testConnectionCloseAndCloseDelimitedEndTheConnection() throws {
        let certificate = try TestCertificate.make()
        let server = LoopbackTLSServer(certificate: certificate) { request in
            var response = LoopbackResponse(text: "until close")
            response.closeDelimited = request.path == "/delimited"
            return response
        }
        try server.start()
        defer { server.stop() }
        let first = try TLSTestClient.connect(port: server.port, trusting: certificate)
        let reply = try first.exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(reply.head.contains("Connection: close\r\n"), reply.head)
        XCTAssertEqual(try first.readToEnd(), [], "the server should close after answering")
        let second = try TLSTestClient.connect(port: server.port, trusting: certificate)
        let delimited = try second.exchange("GET /delimited HTTP/1.1\r\nHost: localhost\r\n\r\n")
        XCTAssertFalse(delimited.head.lowercased().contains("content-length"), delimited.head)
        XCTAssertEqual(delimited.text, "until close")
    }

    func testChunkedResponseOverTLS() throws {
        let certificate = try TestCertificate.make()
        let body = (0..<300).map { "line \($0)\n" }.joined()
        let server = LoopbackTLSServer(certificate: certificate) { _ in
            var response = LoopbackResponse(text: body)
            response.chunked = true
            response.chunkSize = 512
            return response
        }
        try server.start()
        defer { server.stop() }
        let client = try TLSTestClient.connect(port: server.port, trusting: certificate)
        let reply = try client.exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(reply.head.contains("Transfer-Encoding: chunked\r\n"), reply.head)
        XCTAssertEqual(try dechunk(reply.body), Array(body.utf8))
    }

    func testDelayedResponseDoesNotHoldUpOtherConnections() throws {
        let certificate = try TestCertificate.make()
        let server = LoopbackTLSServer(certificate: certificate) { request in
            LoopbackResponse(text: request.path, delay: request.path == "/slow" ? 1.0 : 0)
        }
        try server.start()
        defer { server.stop() }
        let slow = try TLSTestClient.connect(port: server.port, trusting: certificate)
        try slow.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let started = Date()
        let fast = try TLSTestClient.connect(port: server.port, trusting: certificate)
        XCTAssertEqual(try fast.exchange("GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n").text, "/fast")
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertEqual(try slow.receiveResponse().text, "/slow")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.9)
    }

    func testStopUnblocksHandshakingAndIdleConnections() throws {
        let certificate = try TestCertificate.make()
        let server = try echoServer(certificate)
        let silent = try RawClient(port: server.port)  // never sends a ClientHello
        let idle = try TLSTestClient.connect(port: server.port, trusting: certificate)
        _ = try idle.exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let port = server.port
        let started = Date()
        server.stop()
        server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
        XCTAssertEqual(try silent.readToEnd(), "")
        XCTAssertEqual(try idle.readToEnd(), [])
        XCTAssertThrowsError(try RawClient(port: port))
    }

    func testStopDoesNotWaitOutADelayedResponse() throws {
        let certificate = try TestCertificate.make()
        let server = LoopbackTLSServer(certificate: certificate) { _ in LoopbackResponse(text: "late", delay: 30) }
        try server.start()
        let client = try TLSTestClient.connect(port: server.port, trusting: certificate)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        while server.requestsServed == 0 { usleep(1000) }
        let started = Date()
        server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
        XCTAssertEqual(try client.readToEnd(), [], "the delayed response is dropped")
    }
}

/// A blocking HTTPS client over OpenSSL for checking `LoopbackTLSServer`. It trusts exactly
/// one certificate and checks the host name or IP address it is given.
final class TLSTestClient {
    struct HandshakeFailed: Error {
        let verifyResult: Int
        let message: String
    }

    private let socket: RawClient
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private var input: [UInt8] = []

    private init(socket: RawClient, context: OpaquePointer, ssl: OpaquePointer) {
        self.socket = socket
        self.context = context
        self.ssl = ssl
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    var verifyResult: Int { Int(SSL_get_verify_result(ssl)) }

    /// Connects to 127.0.0.1:`port` and completes a verified handshake (SNI `host`).
    static func connect(port: Int, trusting anchor: TestCertificate, host: String? = "localhost", ip: String? = nil) throws -> TLSTestClient
    {
        let context = SSL_CTX_new(TLS_client_method())!
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        // The BIO reads the PEM in place: it must not outlive the C string.
        let certificate = anchor.certificatePEM.withCString { pem -> OpaquePointer? in
            let bio = BIO_new_mem_buf(pem, -1)
            defer { BIO_free(bio) }
            return PEM_read_bio_X509(bio, nil, nil, nil)
        }
        XCTAssertEqual(X509_STORE_add_cert(SSL_CTX_get_cert_store(context), certificate), 1)
        X509_free(certificate)
        let client = TLSTestClient(socket: try RawClient(port: port), context: context, ssl: SSL_new(context)!)
        SSL_set_fd(client.ssl, client.socket.fd)
        if let host {
            XCTAssertEqual(copenssl_set_server_name(client.ssl, host), 1)
            XCTAssertEqual(SSL_set1_host(client.ssl, host), 1)
        }
        if let ip { XCTAssertEqual(X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(client.ssl), ip), 1) }
        guard SSL_connect(client.ssl) == 1 else {
            var buffer = [CChar](repeating: 0, count: 256)
            copenssl_take_error(&buffer, buffer.count)
            throw HandshakeFailed(
                verifyResult: client.verifyResult,
                message: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return client
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard SSL_write(ssl, bytes, Int32(bytes.count)) == Int32(bytes.count) else { throw POSIXError(.EIO) }
    }

    /// Reads one response: a `Content-Length` body, or else everything until the server closes.
    func receiveResponse() throws -> (head: String, body: [UInt8], text: String) {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = input.indices.dropLast(3).first { input[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10]) }
            if headEnd == nil { guard try readMore() else { throw POSIXError(.ECONNRESET) } }
        }
        let head = String(decoding: input[..<headEnd!], as: UTF8.self) + "\r\n\r\n"
        input.removeFirst(headEnd! + 4)
        let lengthLine = head.lowercased().split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
        let body: [UInt8]
        if let length = lengthLine.flatMap({ Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }) {
            while input.count < length { guard try readMore() else { throw POSIXError(.ECONNRESET) } }
            body = Array(input[..<length])
            input.removeFirst(length)
        } else {
            body = try readToEnd()
        }
        return (head, body, String(decoding: body, as: UTF8.self))
    }

    func exchange(_ request: String) throws -> (head: String, body: [UInt8], text: String) {
        try send(request)
        return try receiveResponse()
    }

    /// Everything until the server closes; throws if it never does.
    func readToEnd() throws -> [UInt8] {
        while try readMore() {}
        defer { input.removeAll() }
        return input
    }

    /// Appends what SSL_read returns; false at the end of the stream, throws on a timeout.
    private func readMore() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        errno = 0
        let n = SSL_read(ssl, &buffer, Int32(buffer.count))
        if n > 0 {
            input += buffer[0..<Int(n)]
            return true
        }
        let error = SSL_get_error(ssl, n)
        ERR_clear_error()
        if error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK) { throw POSIXError(.ETIMEDOUT) }
        return false
    }
}
