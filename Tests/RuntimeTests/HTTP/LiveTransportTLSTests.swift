import Foundation
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import XCTest

/// `LiveTransport` over https against the loopback TLS server, on both engines: the
/// certificate checked against a trusted file, the name or the IP address, failures as
/// `tls`, keep-alive, bodies in many TLS records.
final class LiveTransportTLSTests: XCTestCase {
    private var certificate: TestCertificate!
    private var trustedFile: String!

    override func setUpWithError() throws {
        certificate = try TestCertificate.make()
        trustedFile = try certificate.writeCertificate()
    }

    override func tearDown() {
        if let trustedFile { try? FileManager.default.removeItem(atPath: trustedFile) }
    }

    private func echoServer(_ certificate: TestCertificate) throws -> LoopbackTLSServer {
        let server = LoopbackTLSServer(certificate: certificate) { request in
            var response = LoopbackResponse(headers: [("X-Path", request.path)], body: request.body)
            response.chunked = request.path == "/chunked"
            response.closeDelimited = request.path == "/close" || request.path == "/abrupt"
            response.skipsCloseNotify = request.path == "/abrupt"
            return response
        }
        try server.start()
        return server
    }

    /// Runs `body` once per engine with a transport built from `configuration`.
    private func onEachEngine(
        _ configuration: LiveTransport.Configuration,
        _ body: (LiveTransport) async throws -> Void
    ) async rethrows {
        try await onEachEngine { engine in
            var configuration = configuration
            configuration.engine = engine
            let transport = LiveTransport(configuration: configuration)
            defer { transport.shutdown() }
            try await body(transport)
        }
    }

    func testVerifiedRequestsByNameAndByAddressShareOneHandshake() async throws {
        try await onEachEngine(.init(trustedCertificatesFile: trustedFile, egressPolicy: .allowingLocalNetworks)) { transport in
            let server = try echoServer(certificate)
            defer { server.stop() }
            for i in 0..<3 {
                let response = await transport.perform(
                    OutboundRequest(
                        method: "POST", url: server.url(host: "localhost", path: "/n\(i)"), body: Array("lead \(i)".utf8)))
                XCTAssertNil(response.failure, response.failureDetail ?? "")
                XCTAssertEqual(response.status, 200)
                XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "lead \(i)")
            }
            XCTAssertEqual(server.handshakesCompleted, 1, "one kept-alive connection")
            let byAddress = await transport.perform(OutboundRequest(method: "GET", url: server.url("/ip")))
            XCTAssertEqual(byAddress.status, 200, byAddress.failureDetail ?? "")
            XCTAssertEqual(byAddress.headers.first { $0.name == "x-path" }?.value, "/ip")
        }
    }

    func testNewConnectionsResumeTheLastSession() async throws {
        try await onEachEngine(.init(trustedCertificatesFile: trustedFile, egressPolicy: .allowingLocalNetworks)) { transport in
            let server = try echoServer(certificate)
            defer { server.stop() }
            for i in 0..<4 {
                let response = await transport.perform(OutboundRequest(method: "GET", url: server.url(host: "localhost", path: "/close")))
                XCTAssertEqual(response.status, 200, "\(i): \(response.failureDetail ?? "")")
            }
            XCTAssertEqual(server.handshakesCompleted, 4, "the server closes: a connection per request")
            XCTAssertEqual(server.handshakesResumed, 3, "every handshake after the first resumed")
        }
    }

    /// `/abrupt` ends its close-delimited body without a TLS close_notify.
    func testLargeBodiesChunkedAndCloseDelimitedAnswers() async throws {
        try await onEachEngine(.init(trustedCertificatesFile: trustedFile, egressPolicy: .allowingLocalNetworks)) { transport in
            let server = try echoServer(certificate)
            defer { server.stop() }
            let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            for path in ["/big", "/chunked", "/close", "/abrupt"] {
                let response = await transport.perform(OutboundRequest(method: "PUT", url: server.url(path), body: big))
                XCTAssertNil(response.failure, "\(path): \(response.failureDetail ?? "")")
                XCTAssertEqual(response.body.count, big.count, path)
                XCTAssertTrue(response.body == big, path)
            }
        }
    }

    func testAnUntrustedCertificateIsATLSFailure() async throws {
        try await onEachEngine(.init(egressPolicy: .allowingLocalNetworks)) { transport in
            let server = try echoServer(certificate)
            defer { server.stop() }
            let response = await transport.perform(OutboundRequest(method: "GET", url: server.url(host: "localhost")))
            XCTAssertEqual(response.failure, .tls, response.failureDetail ?? "")
            XCTAssertEqual(response.status, 0)
            XCTAssertEqual(server.requestsServed, 0)
        }
    }

    func testACertificateForAnotherNameIsATLSFailure() async throws {
        let other = try TestCertificate.make(commonName: "crm.example", dnsNames: ["crm.example"], ipAddresses: [])
        let otherFile = try other.writeCertificate()
        defer { try? FileManager.default.removeItem(atPath: otherFile) }
        try await onEachEngine(.init(trustedCertificatesFile: otherFile, egressPolicy: .allowingLocalNetworks)) { transport in
            let server = try echoServer(other)
            defer { server.stop() }
            for url in [server.url(host: "localhost"), server.url("/")] {
                let response = await transport.perform(OutboundRequest(method: "GET", url: url))
                XCTAssertEqual(response.failure, .tls, "\(url): \(response.failureDetail ?? "")")
            }
            XCTAssertEqual(server.requestsServed, 0)
        }
    }

    /// A certificate naming its host only in the subject's CN (no subjectAltName) is refused,
    /// by name and by address, on both engines: RFC 6125 leaves that fallback to clients,
    /// and OpenSSL and libcurl would take it.
    func testACertificateWithoutSubjectAltNameDoesNotPassByItsCommonName() async throws {
        for (commonName, byName) in [("localhost", true), ("127.0.0.1", false)] {
            let commonNameOnly = try TestCertificate.make(commonName: commonName, dnsNames: [], ipAddresses: [])
            let trusted = try commonNameOnly.writeCertificate()
            defer { try? FileManager.default.removeItem(atPath: trusted) }
            try await onEachEngine(.init(trustedCertificatesFile: trusted, egressPolicy: .allowingLocalNetworks)) { transport in
                let server = try echoServer(commonNameOnly)
                defer { server.stop() }
                let url = byName ? server.url(host: "localhost", path: "/cn") : server.url("/cn")
                let response = await transport.perform(OutboundRequest(method: "GET", url: url))
                XCTAssertEqual(response.failure, .tls, "CN=\(commonName): status \(response.status) \(response.failureDetail ?? "")")
                XCTAssertEqual(server.requestsServed, 0)
            }
        }
    }

    func testVerificationOffAcceptsAnyCertificate() async throws {
        try await onEachEngine(.init(verifyTLS: false, egressPolicy: .allowingLocalNetworks)) { transport in
            let server = try echoServer(certificate)
            defer { server.stop() }
            let response = await transport.perform(OutboundRequest(method: "GET", url: server.url(host: "localhost", path: "/any")))
            XCTAssertEqual(response.status, 200, response.failureDetail ?? "")
        }
    }

    func testPlainHTTPToATLSPortAndTLSToAPlainPortFail() async throws {
        let plain = LoopbackHTTPServer { _ in LoopbackResponse(text: "plain") }
        try plain.start()
        defer { plain.stop() }
        try await onEachEngine(.init(trustedCertificatesFile: trustedFile, egressPolicy: .allowingLocalNetworks)) { transport in
            let tls = try echoServer(certificate)
            defer { tls.stop() }
            let tlsToPlain = await transport.perform(OutboundRequest(method: "GET", url: "https://127.0.0.1:\(plain.port)/", timeout: 0.5))
            XCTAssertNotNil(tlsToPlain.failure)
            XCTAssertEqual(tlsToPlain.status, 0)
            let plainToTLS = await transport.perform(OutboundRequest(method: "GET", url: "http://127.0.0.1:\(tls.port)/", timeout: 2))
            XCTAssertNotNil(plainToTLS.failure, "status \(plainToTLS.status)")
        }
    }
}
