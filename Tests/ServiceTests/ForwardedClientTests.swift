import OutboundHTTP
import XCTest

@testable import LeadRelayService

/// Which address is the client's behind proxies, without sockets.
final class ForwardedClientTests: XCTestCase {
    let client = ForwardedClient(trusted: [AddressBlock("10.0.0.0/8")!, AddressBlock("::1")!])

    func testAnUntrustedPeersHeadersAreIgnored() {
        let resolved = client.resolve(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"], forwardedProto: ["https"])
        XCTAssertEqual(resolved, .init(address: "203.0.113.9", secure: false))
        let none = ForwardedClient(trusted: []).resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"], forwardedProto: [])
        XCTAssertEqual(none.address, "10.0.0.2", "with no trusted proxies nobody's header counts")
    }

    func testTheRightmostUntrustedHopIsTheClient() {
        // The client wrote "1.2.3.4" itself; the first proxy saw 198.51.100.7; a second proxy 10.0.0.5.
        let resolved = client.resolve(
            peer: "10.0.0.1", forwardedFor: ["1.2.3.4, 198.51.100.7", "10.0.0.5"], forwardedProto: ["http, https"])
        XCTAssertEqual(resolved, .init(address: "198.51.100.7", secure: true))
    }

    func testPortsAndIPv6HopsAndGarbage() {
        XCTAssertEqual(client.resolve(peer: "::1", forwardedFor: ["203.0.113.7:4711"], forwardedProto: []).address, "203.0.113.7")
        XCTAssertEqual(client.resolve(peer: "::1", forwardedFor: ["[2001:db8::5]:4711"], forwardedProto: []).address, "2001:db8::5")
        XCTAssertEqual(client.resolve(peer: "::1", forwardedFor: ["2001:db8::6"], forwardedProto: []).address, "2001:db8::6")
        let garbage = client.resolve(peer: "10.0.0.1", forwardedFor: ["evil, 10.0.0.3"], forwardedProto: [])
        XCTAssertEqual(garbage.address, "10.0.0.3", "a hop that is no address stops the walk at the last proxy")
        let onlyProxies = client.resolve(peer: "10.0.0.1", forwardedFor: ["10.0.0.9"], forwardedProto: [])
        XCTAssertEqual(onlyProxies.address, "10.0.0.9")
        let empty = client.resolve(peer: "10.0.0.1", forwardedFor: [], forwardedProto: [])
        XCTAssertEqual(empty.address, "10.0.0.1")
    }
}
