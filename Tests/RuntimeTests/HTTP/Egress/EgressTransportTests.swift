import Host
import IntegrationRuntime
import LoopbackTesting
import OutboundHTTP
import XCTest

/// The egress policy on both engines, checked at the address a connection really goes to
/// (after the URL's spelling and the resolver): nothing here sends a packet beyond loopback.
final class EgressTransportTests: XCTestCase {
    private func reachableServer() throws -> LoopbackHTTPServer {
        let server = LoopbackHTTPServer { _ in LoopbackResponse(text: "reached") }
        try server.start()
        return server
    }

    /// Sends a GET to each host of `spellings` on `server`'s port with the default policy,
    /// on both engines: each must fail, before any connection, as the egress refusal of
    /// its address ("egress refused: <address> is <scope>").
    private func assertRefused(
        _ spellings: [(host: String, address: String)], as scope: String,
        server: LoopbackHTTPServer
    ) async {
        await onEachEngine { engine in
            let transport = LiveTransport(configuration: .init(engine: engine))
            defer { transport.shutdown() }
            for (host, address) in spellings {
                let response = await transport.perform(OutboundRequest(method: "GET", url: "http://\(host):\(server.port)/", timeout: 10))
                XCTAssertEqual(response.status, 0, host)
                XCTAssertEqual(response.failureDetail, "egress refused: \(address) is \(scope)", host)
            }
            let named = await transport.perform(OutboundRequest(method: "GET", url: "http://localhost:\(server.port)/", timeout: 10))
            XCTAssertEqual(named.failure, .egressRefused, "localhost: \(named.failureDetail ?? "")")
            XCTAssertEqual(server.requestsServed, 0, "a request reached the loopback server")
        }
    }

    /// The default (the service's) policy: loopback is refused however the URL spells it,
    /// and a name that resolves to it (localhost) too.
    func testTheDefaultPolicyRefusesLoopbackHoweverTheURLSpellsIt() async throws {
        let server = try reachableServer()
        defer { server.stop() }
        await assertRefused(
            [
                ("127.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("2130706433", "127.0.0.1"),
                ("0x7f000001", "127.0.0.1"), ("017700000001", "127.0.0.1"), ("127.9.9.9", "127.9.9.9"),
                ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"), ("[::1]", "::1"),
            ],
            as: "loopback", server: server)
    }

    /// The unspecified address (which Linux connects to the local host) is refused in every
    /// spelling, and by every policy (see the test with local networks allowed).
    func testTheUnspecifiedAddressIsRefused() async throws {
        let server = try reachableServer()
        defer { server.stop() }
        await assertRefused(
            [
                ("0.0.0.0", "0.0.0.0"), ("0", "0.0.0.0"), ("0.0", "0.0.0.0"), ("[::]", "::"),
                ("[::ffff:0.0.0.0]", "::ffff:0.0.0.0"),
            ],
            as: "unspecified", server: server)
    }

    /// `leadrelay run`, the sandbox and tests allow local networks: every spelling of
    /// loopback reaches the server, the unspecified address still does not.
    func testAllowingLocalNetworksReachesLoopbackButNeverTheUnspecifiedAddress() async throws {
        let server = try reachableServer()
        defer { server.stop() }
        try await onEachEngine { engine in
            let transport = LiveTransport(configuration: .init(engine: engine, egressPolicy: .allowingLocalNetworks))
            defer { transport.shutdown() }
            let served = server.requestsServed
            for host in ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "localhost", "[::ffff:127.0.0.1]"] {
                let response = await transport.perform(OutboundRequest(method: "GET", url: "http://\(host):\(server.port)/", timeout: 10))
                XCTAssertEqual(response.status, 200, "\(host): \(response.failureDetail ?? "")")
            }
            for host in ["0.0.0.0", "[::]"] {
                let response = await transport.perform(OutboundRequest(method: "GET", url: "http://\(host):\(server.port)/", timeout: 10))
                XCTAssertEqual(response.failure, .egressRefused, host)
            }
            XCTAssertEqual(server.requestsServed - served, 6)
        }
    }

    /// Through a proxy the socket goes to the proxy: its address is checked, and the
    /// target (here the cloud metadata address, which no socket connects to) is the
    /// proxy's business. The loopback server plays the proxy.
    func testThroughAProxyTheProxysAddressIsChecked() async throws {
        let proxy = LoopbackHTTPServer { request in LoopbackResponse(text: "proxied \(request.path)") }
        try proxy.start()
        defer { proxy.stop() }
        let target = "http://169.254.169.254/latest/meta-data/"
        let relaxed = LiveTransport(configuration: .init(proxy: proxy.url(""), egressPolicy: .allowingLocalNetworks))
        defer { relaxed.shutdown() }
        let through = await relaxed.perform(OutboundRequest(method: "GET", url: target, timeout: 10))
        XCTAssertEqual(through.status, 200, through.failureDetail ?? "")
        XCTAssertEqual(String(decoding: through.body, as: UTF8.self), "proxied \(target)")
        let strict = LiveTransport(configuration: .init(proxy: proxy.url("")))
        defer { strict.shutdown() }
        let refused = await strict.perform(OutboundRequest(method: "GET", url: target, timeout: 10))
        XCTAssertEqual(refused.failure, .egressRefused)
        XCTAssertEqual(refused.failureDetail, "egress refused: 127.0.0.1 is loopback")
        XCTAssertEqual(proxy.requestsServed, 1)
    }

    /// A refusal is a configuration problem, not a network failure the script would retry:
    /// the call ends as `error` with the refusal, and `parse_status` never runs.
    func testARefusalEndsTheCallAsErrorWithoutRunningParseStatus() async throws {
        let server = try reachableServer()
        defer { server.stop() }
        let code = TestScripts.script(
            prepare: "return { url = 'http://2130706433:\(server.port)/leads', json = { id = lead.id } }",
            parse: "return { outcome = 'retry', reason = 'timeout', message = 'parse_status ran: ' .. tostring(response.error) }")
        try await onEachEngine { engine in
            let transport = LiveTransport(configuration: .init(engine: engine))
            defer { transport.shutdown() }
            let pool = try IntegrationPool(
                source: LuaSource(name: "demo.lua", code: code), file: "integrations/demo.lua",
                transport: transport, workers: 1)
            defer { pool.shutdown() }
            let result = await pool.run(CallInput(action: .push, lead: TestScripts.lead, now: 1000))
            XCTAssertEqual(result.outcome?.kind, .error, result.outcome?.message ?? "")
            XCTAssertTrue(result.outcome?.message?.contains("egress refused: 127.0.0.1 is loopback") ?? false)
            XCTAssertEqual(server.requestsServed, 0)
        }
    }
}
