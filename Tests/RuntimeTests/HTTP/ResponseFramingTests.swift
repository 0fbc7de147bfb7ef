import IntegrationRuntime
import OutboundHTTP
import XCTest

/// Answers whose framing a server could use to desynchronise a connection, on both engines:
/// the same failure whichever engine reads them, and no connection reused after an answer
/// whose length two headers disagree on.
final class ResponseFramingTests: XCTestCase {
    /// What `transport` makes of `answer`, sent by a server to one GET before it closes.
    private func response(to answer: String, on transport: LiveTransport) async throws -> OutboundResponse {
        let server = try ScriptedServer([
            { socket in
                socket.readRequest()
                socket.write(answer)
            }
        ])
        defer { server.stop() }
        return await transport.perform(OutboundRequest(method: "GET", url: server.url("/"), timeout: 10))
    }

    func testAStatusOutside100To599IsRefused() async throws {
        try await onEachEngine { engine in
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            for status in ["600", "999", "099", "000"] {
                let response = try await response(to: "HTTP/1.1 \(status) Odd\r\nContent-Length: 2\r\n\r\nok", on: transport)
                XCTAssertEqual(response.failure, .other, "\(status): got status \(response.status)")
                if engine == .curl && Int(status)! < 100 {
                    // libcurl refuses these itself, before its header callback sees the line.
                    XCTAssertEqual(response.failureDetail, "Unsupported response code in HTTP response", status)
                } else {
                    XCTAssertEqual(response.failureDetail, "the server answered with status \(Int(status)!), outside 100-599", status)
                }
            }
        }
    }

    func testAContentLengthThatIsNotPlainDigitsIsRefused() async throws {
        try await onEachEngine { engine in
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            for length in ["+3", "-0", "3 3", "0x3"] {
                let response = try await response(to: "HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\nabc", on: transport)
                XCTAssertEqual(response.failure, .other, "\(length): got status \(response.status), body \(response.body)")
                if engine == .curl && length == "-0" {
                    // libcurl refuses a sign itself, before its header callback sees the line.
                    XCTAssertEqual(response.failureDetail, "Invalid Content-Length: value", length)
                } else {
                    XCTAssertEqual(response.failureDetail, "the response has an invalid Content-Length \(length.debugDescription)", length)
                }
            }
        }
    }

    /// Which header frames such an answer depends on who reads it: the connection is not
    /// trusted with another request.
    func testNoKeepAliveAfterAnAnswerWithBothTransferEncodingAndContentLength() async throws {
        try await onEachEngine { engine in
            let server = try ScriptedServer([
                { socket in
                    socket.readRequest()
                    socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n2\r\nok\r\n0\r\n\r\n")
                    if socket.readRequest() { socket.answer("the same connection") }
                },
                { socket in
                    socket.readRequest()
                    socket.answer("a fresh connection")
                },
            ])
            defer { server.stop() }
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            let first = await transport.perform(OutboundRequest(method: "GET", url: server.url("/1"), timeout: 10))
            XCTAssertEqual(first.status, 200, first.failureDetail ?? "")
            XCTAssertEqual(first.body, Array("ok".utf8))
            let second = await transport.perform(OutboundRequest(method: "GET", url: server.url("/2"), timeout: 10))
            XCTAssertEqual(String(decoding: second.body, as: UTF8.self), "a fresh connection", second.failureDetail ?? "")
            XCTAssertEqual(server.connectionsAccepted, 2)
        }
    }
}
