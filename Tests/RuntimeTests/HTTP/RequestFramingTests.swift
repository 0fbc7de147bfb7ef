import IntegrationRuntime
import OutboundHTTP
import XCTest

/// Request framing belongs to the host, on both engines: a script cannot set the headers
/// that decide where a request ends or what becomes of the connection, nor name a second
/// `Host`, and a server recording the bytes it receives sees only what the host framed.
final class RequestFramingTests: XCTestCase {
    private let smuggled = Array("GET /smuggled HTTP/1.1\r\nHost: victim\r\n\r\n".utf8)

    func testFramingHeadersFromTheScriptAreRefusedBeforeAByteIsSent() async throws {
        let cases: [(String, [(name: String, value: String)], [UInt8])] = [
            ("its own Content-Length", [("Content-Length", "0")], smuggled),
            ("two Content-Lengths", [("Content-Length", "5"), ("content-length", "45")], Array("hello".utf8) + smuggled),
            (
                "Content-Length and Transfer-Encoding", [("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
                Array("0\r\n\r\n".utf8) + smuggled
            ),
            ("its own Transfer-Encoding", [("transfer-encoding", "chunked")], Array("0\r\n\r\n".utf8) + smuggled),
            ("Connection", [("Connection", "keep-alive, X-Api-Key")], []),
            ("Keep-Alive", [("Keep-Alive", "timeout=5")], []),
            ("Upgrade", [("Upgrade", "h2c")], []),
            ("TE", [("TE", "trailers")], []),
            ("Proxy-Connection", [("Proxy-Connection", "keep-alive")], []),
            ("a second Host", [("Host", "crm.example"), ("HOST", "victim")], []),
        ]
        try await onEachEngine { engine in
            let server = try RecordingServer()
            defer { server.stop() }
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            for (label, headers, body) in cases {
                let response = await transport.perform(
                    OutboundRequest(method: "POST", url: server.url("/lead"), headers: headers, body: body))
                XCTAssertEqual(response.failure, .invalidRequest, "\(label): status \(response.status), \(response.failureDetail ?? "")")
                XCTAssertEqual(response.status, 0, label)
            }
            XCTAssertEqual(server.requests, [], "the server received requests")
            XCTAssertEqual(server.connectionsAccepted, 0)
        }
    }

    func testTheRefusalNamesTheHeader() async {
        await onEachEngine { engine in
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            let response = await transport.perform(
                OutboundRequest(
                    method: "POST", url: "http://127.0.0.1:1/", headers: [("content-length", "0")], body: smuggled))
            XCTAssertEqual(response.failureDetail, "header content-length is set by the transport, not by the script")
            let hosts = await transport.perform(
                OutboundRequest(
                    method: "GET", url: "http://127.0.0.1:1/", headers: [("Host", "a.example"), ("host", "b.example")]))
            XCTAssertEqual(hosts.failureDetail, "header Host is set twice")
        }
    }

    /// One `Host` of the script's own replaces the URL's, as before; the bytes on the wire
    /// are the same on both engines.
    func testOneHostOfTheScriptsOwnIsSentInsteadOfTheURLs() async throws {
        try await onEachEngine { engine in
            let server = try RecordingServer()
            defer { server.stop() }
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            let response = await transport.perform(
                OutboundRequest(
                    method: "POST", url: server.url("/lead?a=1"), headers: [("Host", "crm.example"), ("X-Key", "k")],
                    body: Array("{}".utf8)))
            XCTAssertEqual(response.status, 200, response.failureDetail ?? "")
            XCTAssertEqual(
                server.requests,
                [
                    "POST /lead?a=1 HTTP/1.1\r\nHost: crm.example\r\nUser-Agent: LeadRelay/0.1\r\nX-Key: k\r\nContent-Length: 2\r\n\r\n{}"
                ])
        }
    }

    /// Bytes outside ASCII in the URL are refused on both engines (the script percent-encodes
    /// them, or passes them in `query`, which the host encodes).
    func testBytesOutsideASCIIInTheURLAreRefused() async throws {
        try await onEachEngine { engine in
            let server = try RecordingServer()
            defer { server.stop() }
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            for path in ["/caf\u{E9}", "/search?q=M\u{FC}ller", "/\u{1F600}"] {
                let response = await transport.perform(OutboundRequest(method: "GET", url: server.url(path)))
                XCTAssertEqual(response.failure, .invalidRequest, "\(path): status \(response.status)")
                XCTAssertEqual(
                    response.failureDetail,
                    "URL contains bytes outside ASCII (percent-encode them, or pass the values in query)", path)
            }
            XCTAssertEqual(server.requests, [], "the server received requests")
        }
    }
}
