import XCTest

@testable import OutboundHTTP

/// Which failure a new connection reports once its addresses are used up: no socket needed.
final class ConnectAttemptTests: XCTestCase {
    private func attempt(_ literals: [String]) -> ConnectAttempt {
        var attempt = ConnectAttempt()
        attempt.addresses = literals.compactMap { IPAddress(literal: $0) }
        XCTAssertEqual(attempt.addresses.count, literals.count)
        return attempt
    }

    func testAddressesComeInOrderThenNone() {
        var attempt = attempt(["127.0.0.1", "::1"])
        XCTAssertEqual(attempt.nextAddress(allowedBy: .allowingLocalNetworks), IPAddress(literal: "127.0.0.1"))
        XCTAssertEqual(attempt.nextAddress(allowedBy: .allowingLocalNetworks), IPAddress(literal: "::1"))
        XCTAssertNil(attempt.nextAddress(allowedBy: .allowingLocalNetworks))
    }

    func testEveryAddressRefusedIsAnEgressRefusal() {
        var attempt = attempt(["127.0.0.1", "10.0.0.1"])
        XCTAssertNil(attempt.nextAddress(allowedBy: .publicOnly))
        let (failure, detail) = attempt.failure
        XCTAssertEqual(failure, .egressRefused)
        XCTAssertFalse(detail.isEmpty)
    }

    /// (No packet goes anywhere: the addresses are only classified.)
    func testAConnectErrorWinsOverARefusal() {
        var attempt = attempt(["10.0.0.1", "8.8.8.8"])
        XCTAssertEqual(attempt.nextAddress(allowedBy: .publicOnly), IPAddress(literal: "8.8.8.8"))
        attempt.failed("connect to x port 80: Connection refused")
        XCTAssertNil(attempt.nextAddress(allowedBy: .publicOnly))
        let (failure, detail) = attempt.failure
        XCTAssertEqual(failure, .connect)
        XCTAssertEqual(detail, "connect to x port 80: Connection refused")
    }

    func testNoAddressAtAllIsAConnectFailure() {
        let (failure, detail) = ConnectAttempt().failure
        XCTAssertEqual(failure, .connect)
        XCTAssertEqual(detail, "no address to connect to")
    }
}
