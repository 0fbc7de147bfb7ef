import Host
import XCTest

@testable import IntegrationRuntime
@testable import OutboundHTTP

/// `leadrelay check` replays what the live transport would do: a request the transport
/// refuses before sending (framing headers of the script's own, a URL outside ASCII) is
/// refused in a fixture too, so a fixture cannot pass with a request that fails live.
final class ReplayTransportTests: XCTestCase {
    private func replay() -> ReplayTransport {
        ReplayTransport(exchanges: [
            FixtureExchange(
                request: ["method": .string("POST"), "url": .string("https://crm.example/leads")],
                response: ["status": .integer(201), "json": .object(["id": .string("7")])])
        ])
    }

    func testARequestTheTransportRefusesIsRefusedInReplayToo() {
        for request in [
            OutboundRequest(method: "POST", url: "https://crm.example/leads", headers: [("Content-Length", "0")]),
            OutboundRequest(method: "POST", url: "https://crm.example/leads", headers: [("Host", "a"), ("host", "b")]),
            OutboundRequest(method: "POST", url: "https://crm.example/leads?q=M\u{FC}ller"),
        ] {
            let replay = replay()
            let response = replay.respond(request)
            XCTAssertEqual(response.failure, .invalidRequest, "\(request.headers) \(request.url): status \(response.status)")
            XCTAssertEqual(response.failureDetail, request.wireProblem())
            XCTAssertEqual(replay.unused, 1, "the recorded exchange stays unused")
        }
        let fine = replay().respond(OutboundRequest(method: "POST", url: "https://crm.example/leads"))
        XCTAssertEqual(fine.status, 201, fine.failureDetail ?? "")
    }
}
